"""What writers do: whose turn it is (turns), posting, editing, withdrawing and skipping
(posting), memberships and characters leaving (membership), and the shape of a story:
chapters and scenes created, placed, moved and cast (structure)."""
