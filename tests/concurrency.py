"""Actions run in real threads, each thread with its own database connection, for the tests
of races (two writers, two moderators): either at the same moment (``race``), or in an order
the test forces (``one_after_another``, ``Running``), so the test knows who wins."""

import threading

from django.db import connection

# Long enough for a slow machine, short enough that a deadlock fails the test rather than
# hanging it.
TIMEOUT = 30


class Running(threading.Thread):
    """``action`` running in its own thread, with its own database connection (closed when
    it ends), once ``wait_for()`` (if given) returns. Started at once."""

    def __init__(self, action, wait_for=None):
        super().__init__(daemon=True)
        self.action, self.wait_for = action, wait_for
        self.outcome = None
        self.done = threading.Event()
        self.start()

    def run(self):
        try:
            if self.wait_for is not None:
                self.wait_for()
            self.outcome = self.action()
        except Exception as error:  # noqa: BLE001 - a race's loser is part of the result
            self.outcome = error
        finally:
            connection.close()  # this thread opened its own connection
            self.done.set()

    def result(self):
        """What the action returned, or the exception it raised."""
        self.join(TIMEOUT)
        assert not self.is_alive(), f"still running after {TIMEOUT}s: {self.action}"
        return self.outcome


def race(*actions):
    """Run each action in its own thread, all released together by a barrier; return what
    each one returned, or the exception it raised. Who wins is up to the database."""
    barrier = threading.Barrier(len(actions))
    running = [Running(action, lambda: barrier.wait(timeout=10)) for action in actions]
    return [each.result() for each in running]


def one_after_another(*actions):
    """Run each action in its own thread, all started together, but each action only once
    the one before has returned (and so committed): the order a race can end in, forced.
    Returns what each returned, or the exception it raised."""
    running = []
    for action in actions:
        before = running[-1].done if running else None
        running.append(Running(action, before and (lambda done=before: _wait(done))))
    return [each.result() for each in running]


def _wait(event):
    assert event.wait(TIMEOUT), f"the action before did not finish within {TIMEOUT}s"
