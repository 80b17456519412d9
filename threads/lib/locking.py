"""Running one change in its own transaction, whichever database is underneath.

PostgreSQL makes a second writer wait on a row locked with SELECT ... FOR UPDATE. SQLite has
no row locks: it locks the whole database, and may instead report it locked (at once, in the
shared-cache mode of the in-memory test database). Then the whole transaction is run again
from the start, so it reads the other writer's outcome afresh and refuses with its own
message rather than failing. Posting (threads/posting.py) and moderation decisions
(threads/moderation/) both go through ``run_in_transaction``.
"""

import time

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F

LOCK_RETRIES = 8
BUSY_MESSAGE = "The archive is busy right now: try again in a moment."


def run_in_transaction(function, *args, error=RuntimeError, integrity_message=None):
    """``function(*args)`` in a transaction, retried while SQLite reports the database
    locked. After LOCK_RETRIES tries it raises ``error(BUSY_MESSAGE)``. With an
    ``integrity_message``, a broken unique constraint (another writer took the same number
    first) raises ``error(integrity_message)``; without one it propagates."""
    for attempt in range(1, LOCK_RETRIES + 1):
        try:
            with transaction.atomic():
                return function(*args)
        except IntegrityError:
            if integrity_message is None:
                raise
            raise error(integrity_message) from None
        except OperationalError as failure:
            # SQLite's "database is locked", or PostgreSQL choosing this transaction as the
            # victim of a deadlock (two writers taking the same rows in different orders):
            # both are safe to run again from the start. Inside an outer transaction the
            # retry could not start afresh: let it fail.
            message = str(failure)
            retryable = "locked" in message or "deadlock detected" in message
            if not retryable or connection.in_atomic_block:
                raise
            if attempt == LOCK_RETRIES:
                raise error(BUSY_MESSAGE) from failure
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


def take_write_lock(model, pk):
    """Take the database's write lock before reading a row to change it.

    SQLite ignores SELECT ... FOR UPDATE, and a transaction that has only read cannot later
    take the write lock while another one holds it ("database is locked"). A no-op UPDATE
    first takes SQLite's write lock, so a second writer waits here, then sees the first
    one's change. On PostgreSQL this does nothing: FOR UPDATE locks the row instead."""
    if not connection.features.has_select_for_update:
        pk_name = model._meta.pk.attname
        model.objects.filter(pk=pk).update(**{pk_name: F(pk_name)})
