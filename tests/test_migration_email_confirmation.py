"""Migration 0009: accounts from before e-mail confirmation count as confirmed since they
joined, so no writer is stopped by it. Real migrations on the test database; migrated
forward again even when a check fails, for the tests that follow."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("threads", "0008_tags")]
AFTER = [("threads", "0009_email_confirmation")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# Transactional: SQLite cannot change its schema inside the transaction a plain test runs in.
@pytest.mark.django_db(transaction=True)
def test_existing_accounts_are_confirmed_since_they_joined():
    targets = latest()
    joined = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC)
    try:
        old_apps = migrate(BEFORE)
        old_apps.get_model("threads", "User").objects.create(
            username="elder", email="elder@example.test", date_joined=joined
        )
        new_apps = migrate(AFTER)
        elder = new_apps.get_model("threads", "User").objects.get(username="elder")
        assert elder.email_confirmed_at == joined
    finally:
        migrate(targets)
