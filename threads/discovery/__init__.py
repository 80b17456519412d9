"""Discovery: how readers find stories. Full-text search (search.py, over the index that
indexing.py keeps), Atom feeds (feeds.py) and sitemap.xml (sitemaps.py); tags live here too.
Every channel shows only what a reader may read: readable stories, published chapters and
published posts (threads/writing/frontier.py)."""
