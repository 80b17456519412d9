"""Actions run at the same moment in real threads, each thread with its own database
connection, for the tests of races (two writers, two moderators)."""

import threading

from django.db import connection


def race(*actions):
    """Run each action in its own thread, all released together by a barrier; return what
    each one returned, or the exception it raised."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - the race's loser is part of the result
            results[index] = error
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
