"""The story as JSON, format ``rp-archive/1`` (docs/json-format.md).

Two variants of one format. The owner's **backup** holds everything needed to rebuild the
story in another database (``threads.interchange.restore``). The **public** copy is what a
reader may see, gathered through ``reader_copy`` like every other reader export, without
private fields: no e-mail addresses, no pending or rejected posts, no revisions, no
membership states, no moderators' reasons.

Output is deterministic: sorted keys, records in a fixed order, times in UTC, so export,
import into an empty database and export again give the same bytes.
"""

import base64
import json
from datetime import UTC

from django.db.models import Prefetch, Q

from threads.models import Character, Post, Revision, User

FORMAT = "rp-archive/1"


def dumps(data):
    """The archive's text: sorted keys, two-space indent, UTF-8 left readable."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def timestamp(value):
    return value.astimezone(UTC).isoformat() if value is not None else None


# --- The owner's backup ------------------------------------------------------------------


def backup(story):
    """Everything of the story, for its owner and for ``restore.import_story``."""
    revisions = Revision.objects.select_related("editor").order_by("number")
    posts = (
        Post.objects.select_related("author", "character")
        .prefetch_related(Prefetch("revisions", queryset=revisions))
        .order_by("number")
    )
    chapters = story.chapters.order_by("number").prefetch_related(
        Prefetch("scenes__participants__character"),
        Prefetch("scenes__posts", queryset=posts),
    )
    memberships = story.memberships.select_related("user", "invited_by")
    chapter_records = [_chapter(chapter, _backup_scene) for chapter in chapters]
    characters = _characters(_character_ids(story), private=True)
    usernames = _usernames(chapter_records, memberships)
    usernames.update(character["owner"] for character in characters)
    return {
        "format": FORMAT,
        "variant": "backup",
        "story": _story(story),
        "memberships": sorted(
            (_membership(m) for m in memberships), key=lambda record: record["user"]
        ),
        "chapters": chapter_records,
        "characters": characters,
        "users": _users(usernames, private=True),
    }


def _backup_scene(scene):
    record = _scene(scene)
    record["turn_deadline_days"] = scene.turn_deadline_days
    record["participants"] = [
        {"character": p.character.slug, "position": p.position}
        for p in sorted(scene.participants.all(), key=lambda p: p.position)
    ]
    record["posts"] = [_backup_post(post) for post in scene.posts.all()]
    return record


def _backup_post(post):
    return {
        **_post(post),
        "status": post.status,
        "moderation_reason": post.moderation_reason,
        "created_at": timestamp(post.created_at),
        "edited_at": timestamp(post.edited_at),
        "approved_at": timestamp(post.approved_at),
        "published_at": timestamp(post.published_at),
        "revisions": [
            {
                "number": revision.number,
                "body": revision.body,
                "editor": revision.editor.username,
                "status": revision.status,
                "created_at": timestamp(revision.created_at),
            }
            for revision in post.revisions.all()
        ],
    }


def _membership(membership):
    return {
        "user": membership.user.username,
        "role": membership.role,
        "status": membership.status,
        "invited_by": membership.invited_by.username if membership.invited_by else None,
        "created_at": timestamp(membership.created_at),
        "responded_at": timestamp(membership.responded_at),
    }


def _character_ids(story):
    in_story = Q(participations__scene__chapter__story=story) | Q(
        posts__scene__chapter__story=story
    )
    return Character.objects.filter(in_story).values("pk")


def _usernames(chapter_records, memberships):
    names = set()
    for membership in memberships:
        names.add(membership.user.username)
        if membership.invited_by:
            names.add(membership.invited_by.username)
    for chapter in chapter_records:
        for scene in chapter["scenes"]:
            for post in scene["posts"]:
                names.add(post["author"])
                names.update(revision["editor"] for revision in post.get("revisions", ()))
    return names


# --- The public copy ---------------------------------------------------------------------


def public(copy):
    """What ``copy`` (a ReaderCopy) shows, and nothing private."""
    chapter_records = [_chapter(chapter, _public_scene) for chapter in copy.chapters]
    writers = [
        {"user": membership.user.username, "role": membership.role}
        for membership in copy.memberships
    ]
    character_ids = [character.pk for character in copy.characters]
    names = {writer["user"] for writer in writers}
    names.update(post.author.username for post in copy.posts)
    names.update(character.owner.username for character in copy.characters)
    return {
        "format": FORMAT,
        "variant": "public",
        "story": _story(copy.story),
        "memberships": sorted(writers, key=lambda record: record["user"]),
        "chapters": chapter_records,
        "characters": _characters(character_ids, private=False),
        "users": _users(names, private=False),
    }


def _public_scene(scene):
    record = _scene(scene)
    record["participants"] = [
        {"character": p.character.slug, "position": p.position} for p in scene.cast
    ]
    record["posts"] = [
        {**_post(post), "created_at": timestamp(post.created_at)} for post in scene.reader_posts
    ]
    return record


# --- Records shared by both --------------------------------------------------------------


def _story(story):
    return {
        "title": story.title,
        "slug": story.slug,
        "summary": story.summary,
        "rating": story.rating,
        "warnings": list(story.warnings),
        "status": story.status,
        "visibility": story.visibility,
        "language": story.language,
        "tags": sorted(tag.name for tag in story.tags.all()),
        "created_at": timestamp(story.created_at),
        "updated_at": timestamp(story.updated_at),
    }


def _chapter(chapter, scene_record):
    scenes = getattr(chapter, "reader_scenes", None)
    if scenes is None:
        scenes = chapter.scenes.all()
    return {
        "number": chapter.number,
        "title": chapter.title,
        "summary": chapter.summary,
        "is_published": chapter.is_published,
        "published_at": timestamp(chapter.published_at),
        "created_at": timestamp(chapter.created_at),
        "scenes": [scene_record(scene) for scene in sorted(scenes, key=lambda s: s.position)],
    }


def _scene(scene):
    return {
        "position": scene.position,
        "title": scene.title,
        "setting": scene.setting,
        "turn_mode": scene.turn_mode,
        "is_open": scene.is_open,
        "created_at": timestamp(scene.created_at),
        "last_post_at": timestamp(scene.last_post_at),
    }


def _post(post):
    return {
        "number": post.number,
        "kind": post.kind,
        "author": post.author.username,
        "character": post.character.slug if post.character_id else None,
        "body": post.body,
    }


def _characters(ids, private):
    characters = Character.objects.filter(pk__in=ids).select_related("owner").order_by("slug")
    return [_character(character, private) for character in characters]


def _character(character, private):
    record = {
        "slug": character.slug,
        "owner": character.owner.username,
        "name": character.name,
        "tagline": character.tagline,
        "description": character.description,
        "pronouns": character.pronouns,
        "created_at": timestamp(character.created_at),
        "portrait": _image(character.portrait),
        "portrait_thumb": _image(character.portrait_thumb),
    }
    if private:
        record["retired_at"] = timestamp(character.retired_at)
    return record


def _image(field):
    """A stored picture as base64, or None when there is none or its file is gone."""
    if not field:
        return None
    try:
        with field.open("rb") as handle:
            return base64.b64encode(handle.read()).decode("ascii")
    except OSError:
        return None


def _users(usernames, private):
    users = User.objects.filter(username__in=usernames).order_by("username")
    records = []
    for user in users:
        record = {"username": user.username, "display_name": user.display_name}
        if private:
            record["email"] = user.email
        records.append(record)
    return records
