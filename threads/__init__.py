"""RP Archive's one Django app, laid out by area. Find your room from the folder names:

- ``lib/``: plumbing with no domain rules: Markdown to safe HTML and its bounds, locking,
  e-mail, tasks' retries, portraits, bounded diffs, excerpts, HTTP helpers, rate limits,
  request ids, NUL and upload-size guards, error tracking.
- ``writing/``: what writers do: turns, posting, membership, story structure, the reading
  frontier, turn deadlines, whose turn is waiting, scene visits.
- ``moderation/``: who may decide, decisions on posts, reports and writers, what is told.
- ``discovery/``: how readers find stories: tags and wrangling, search and its index, feeds,
  the sitemap.
- ``library/``: readers' own things: reading position, bookmarks, kudos, comments,
  subscriptions and their outbox, statistics, reader mode and reader-insert.
- ``interchange/``: stories in and out: EPUB, HTML, Markdown, the JSON backup and restore,
  chapter text, cards, Discord and SillyTavern imports, claims.
- ``accounts/``: confirming addresses and invitation codes.
- ``tasks.py``: the work that runs outside the request.
- Layer folders: ``models/``, ``views/``, ``forms/``, ``admin/`` (with ``admin_site.py``
  beside it), ``templatetags/``, ``management/``.

Arrows point down only: views, admin, commands and tasks call the area modules, which call
models and lib; models call only lib. Nothing below views knows about requests.
"""
