"""What readers keep and do beyond reading: their place in each story (positions), bookmarks,
kudos, the reader-mode switch, and reader-insert names. Every function here counts and lists
only what the reader may read (Story.objects.readable_by, published chapters and posts)."""
