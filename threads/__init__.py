"""RP Archive's one Django app, laid out by area. Find your room from the folder names:

- ``lib/``: plumbing with no domain rules (markup, locking, emails, portraits, diffs, http).
- ``writing/``: turns, posting, membership and story structure.
- ``moderation.py``: decisions on posts and writers, reports (a package once it nears 600 lines).
- ``models/``, ``views/``, ``forms/``, ``admin/``, ``management/``: layer folders.

Arrows point down only: views, admin and management commands call the area modules, which
call models and lib; models call only lib. Nothing below views knows about requests.
The areas the next features fill (``discovery/``, ``library/``, ``interchange/``) are created
with their first module.
"""
