"""Publish the posts readers could already see, up to each scene's reading frontier.

The rule is written out here as it stood when this migration was made (migrations keep their
history): approved posts are published up to the first in-character or narration post that
waits for a decision or was rejected; OOC notes, skips, withdrawn and removed posts never hold
it. Counts follow what is published.
"""

from django.db import migrations
from django.db.models import Sum

HOLDING_KINDS = {"ic", "narration"}
HOLDING_STATUSES = {"pending", "rejected"}
STORY_KINDS = ("ic", "narration")


def publish(apps, schema_editor):
    Scene = apps.get_model("threads", "Scene")
    Post = apps.get_model("threads", "Post")
    Chapter = apps.get_model("threads", "Chapter")
    Story = apps.get_model("threads", "Story")
    for scene in Scene.objects.all().iterator():
        posts = Post.objects.filter(scene=scene).order_by("number")
        publish_ids = []
        for post_id, kind, status, approved_at, created_at in posts.values_list(
            "id", "kind", "status", "approved_at", "created_at"
        ):
            if kind in HOLDING_KINDS and status in HOLDING_STATUSES:
                break
            if status == "approved":
                publish_ids.append((post_id, approved_at or created_at))
        for post_id, at in publish_ids:
            Post.objects.filter(pk=post_id).update(published_at=at)
        words = Post.objects.filter(
            scene=scene, published_at__isnull=False, kind__in=STORY_KINDS
        ).aggregate(total=Sum("word_count"))["total"]
        Scene.objects.filter(pk=scene.pk).update(word_count=words or 0)
    for chapter in Chapter.objects.all().iterator():
        words = Scene.objects.filter(chapter=chapter).aggregate(total=Sum("word_count"))["total"]
        Chapter.objects.filter(pk=chapter.pk).update(word_count=words or 0)
    for story in Story.objects.all().iterator():
        words = Chapter.objects.filter(story=story, is_published=True).aggregate(
            total=Sum("word_count")
        )["total"]
        Story.objects.filter(pk=story.pk).update(word_count=words or 0)


def unpublish(apps, schema_editor):
    apps.get_model("threads", "Post").objects.update(published_at=None)


class Migration(migrations.Migration):
    dependencies = [("threads", "0003_reading_frontier_deadlines_visits")]

    operations = [migrations.RunPython(publish, unpublish)]
