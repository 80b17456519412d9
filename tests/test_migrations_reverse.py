"""The "Moderators" group migration can be undone and redone: an administrator rolling
threads back to 0001 loses the group, and migrating forward again brings it back with exactly
the moderators' permissions. Real migrations on the test database, SQLite or PostgreSQL; the
database is migrated forward again even when a check fails, for the tests that follow."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from threads.moderation import MODERATOR_PERMISSIONS, MODERATORS_GROUP, moderators_group

BEFORE_THE_GROUP = [("threads", "0001_initial")]


def migrate(targets):
    # A fresh executor each time: its loader reads which migrations are applied now.
    MigrationExecutor(connection).migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def unapplied():
    executor = MigrationExecutor(connection)
    return [migration for migration, _ in executor.migration_plan(latest())]


def group_permissions():
    group = Group.objects.get(name=MODERATORS_GROUP)
    permissions = group.permissions.select_related("content_type")
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)


# Transactional: SQLite cannot change its schema inside the transaction a plain test runs in.
@pytest.mark.django_db(transaction=True)
def test_undoing_the_moderators_migration_removes_the_group_and_redoing_it_restores_it():
    targets = latest()
    migrate(targets)  # from a known start: everything applied
    # An earlier transactional test may have emptied the tables, group included.
    moderators_group()
    try:
        migrate(BEFORE_THE_GROUP)
        # 0002 and every later migration are undone; 0001 stays.
        assert [m.name for m in unapplied()][0] == "0002_moderators_group"
        assert not Group.objects.filter(name=MODERATORS_GROUP).exists()
    finally:
        migrate(targets)
    assert unapplied() == []
    assert group_permissions() == sorted(MODERATOR_PERMISSIONS)
