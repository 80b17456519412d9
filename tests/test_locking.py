"""threads.lib.locking: the one transaction-with-retries helper that posting and moderation
share. A locked SQLite database is retried, then refused with one clear message."""

import pytest
from django.db import IntegrityError, OperationalError

from threads import moderation
from threads.lib import locking
from threads.writing import posting

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(locking.time, "sleep", lambda seconds: None)


class Flaky:
    """Fails with ``error`` the first ``failures`` times it is called, then answers."""

    def __init__(self, failures, error):
        self.failures, self.error, self.calls = failures, error, 0

    def __call__(self, answer):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return answer


def test_a_locked_database_is_retried_until_the_transaction_goes_through():
    flaky = Flaky(3, OperationalError("database is locked"))
    assert locking.run_in_transaction(flaky, "done") == "done"
    assert flaky.calls == 4


def test_a_database_locked_every_time_gives_the_callers_error_with_one_busy_message():
    for error in (posting.TurnError, moderation.ModerationError):
        flaky = Flaky(100, OperationalError("database table is locked"))
        with pytest.raises(error, match="The archive is busy right now"):
            locking.run_in_transaction(flaky, "done", error=error)
        assert flaky.calls == locking.LOCK_RETRIES


def test_other_database_errors_are_not_retried():
    flaky = Flaky(1, OperationalError("no such table: threads_post"))
    with pytest.raises(OperationalError):
        locking.run_in_transaction(flaky, "done")
    assert flaky.calls == 1


def test_a_broken_unique_constraint_becomes_the_callers_message_when_it_has_one():
    flaky = Flaky(1, IntegrityError("UNIQUE constraint failed"))
    with pytest.raises(posting.TurnError, match="Another post reached this scene"):
        locking.run_in_transaction(
            flaky, "done", error=posting.TurnError, integrity_message=posting.RACE_MESSAGE
        )
    with pytest.raises(IntegrityError):
        locking.run_in_transaction(Flaky(1, IntegrityError("UNIQUE")), "done")


def test_posting_and_moderation_keep_no_retry_loop_of_their_own():
    for module in (posting, moderation):
        assert not hasattr(module, "LOCK_RETRIES"), module
        assert not hasattr(module, "_with_lock_retries"), module
        assert not hasattr(module, "_take_write_lock"), module
