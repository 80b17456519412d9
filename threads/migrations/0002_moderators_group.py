"""The moderators' queue pages (proxy models, no tables) and the "Moderators" group.

The group gets exactly what moderating needs: to view posts, revisions, stories, chapters,
scenes, characters, writers, reports and the audit trail, and the three decision
permissions. Not change_post: moderators decide on posts, they never edit their text.

On a fresh database the permissions do not exist yet (Django creates them after all
migrations have run), so this creates any that are missing; Django's own pass later finds
them and leaves them be.
"""

from django.db import migrations

GROUP = "Moderators"

# (model, codename, name) — names as Django would give them.
PERMISSIONS = [
    ("post", "view_post", "Can view post"),
    ("revision", "view_revision", "Can view revision"),
    ("story", "view_story", "Can view story"),
    ("chapter", "view_chapter", "Can view chapter"),
    ("scene", "view_scene", "Can view scene"),
    ("character", "view_character", "Can view character"),
    ("user", "view_user", "Can view user"),
    ("report", "view_report", "Can view report"),
    ("moderationaction", "view_moderationaction", "Can view moderation action"),
    ("post", "moderate_post", "Can approve and reject posts"),
    ("user", "moderate_user", "Can trust, distrust, suspend and unsuspend writers"),
    ("report", "resolve_report", "Can resolve reports"),
]


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    db = schema_editor.connection.alias
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    permissions = []
    for model_name, codename, name in PERMISSIONS:
        content_type = ContentType.objects.db_manager(db).get_for_model(
            apps.get_model("threads", model_name)
        )
        permission, _ = Permission.objects.using(db).get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        permissions.append(permission)
    group.permissions.set(permissions)


def delete_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("threads", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="PendingEdit",
            fields=[],
            options={
                "verbose_name": "edit awaiting approval",
                "verbose_name_plural": "moderation queue: edits",
                "proxy": True,
                "default_permissions": (),
                "indexes": [],
                "constraints": [],
            },
            bases=("threads.revision",),
        ),
        migrations.CreateModel(
            name="PendingPost",
            fields=[],
            options={
                "verbose_name": "post awaiting approval",
                "verbose_name_plural": "moderation queue: posts",
                "proxy": True,
                "default_permissions": (),
                "indexes": [],
                "constraints": [],
            },
            bases=("threads.post",),
        ),
        migrations.CreateModel(
            name="ReportedPost",
            fields=[],
            options={
                "verbose_name": "reported post",
                "verbose_name_plural": "reports by post",
                "proxy": True,
                "default_permissions": (),
                "indexes": [],
                "constraints": [],
            },
            bases=("threads.post",),
        ),
        migrations.RunPython(create_group, delete_group),
    ]
