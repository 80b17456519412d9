"""Getting stories out (and, later, in).

``reader_copy`` gathers a story as one reader may see it, through the same QuerySets as the
reading pages, so every reader export (``epub``, ``html``, ``markdown`` and the public
``archive`` JSON) follows their rules without repeating them. ``archive`` also writes the
owner's full backup (``rp-archive/1``, see docs/json-format.md), and ``restore`` reads it
back into any database.
"""
