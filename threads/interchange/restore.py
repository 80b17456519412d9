"""Restoring an ``rp-archive/1`` file (docs/json-format.md) into any database.

Everything gets a new id. Users are matched by username; one missing here gets a
placeholder account that cannot log in until someone sets its password. Slugs are kept
when free. The story is built through threads.writing.structure, posts and revisions are
rendered through markup.render_markdown_fields, and the whole restore is one transaction:
a file with a bad record raises ArchiveError naming that record, and saves nothing.
"""

import base64
import binascii
import io
import json
import uuid
from contextlib import contextmanager
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from PIL import Image, UnidentifiedImageError

from threads.lib import markup
from threads.lib.portraits import ALLOWED_FORMATS
from threads.models import Chapter, Character, Membership, Post, Revision, Scene, Story, User
from threads.writing import structure

from .archive import FORMAT


class ArchiveError(Exception):
    """An archive that cannot be restored. The message names the record at fault
    (``where``, such as ``chapters[0].scenes[2].posts[7]``)."""

    def __init__(self, message, where=None):
        super().__init__(f"{where}: {message}" if where else message)
        self.where = where


def load(raw):
    """The archive's data from its bytes or text, or ArchiveError saying where it broke."""
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise ArchiveError("The file is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise ArchiveError(f"Not JSON: {error.msg} at line {error.lineno}.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError(f'Not an archive: "format" must be "{FORMAT}".')
    return data


def import_story(data):
    """Restore the archive ``data`` (a dict, see ``load``) as a new story; return it."""
    if data.get("format") != FORMAT:
        raise ArchiveError(f'Not an archive: "format" must be "{FORMAT}".')
    if data.get("variant") != "backup":
        raise ArchiveError(
            "This is the public copy of a story, which leaves out what a restore needs: "
            "use the owner's full backup."
        )
    with transaction.atomic():
        return _Restore(data).run()


@contextmanager
def _record(path):
    """Name the record being restored in any error it raises."""
    try:
        yield
    except ArchiveError as error:
        if error.where is not None:
            raise
        raise ArchiveError(str(error), path) from None
    except ValidationError as error:
        raise ArchiveError("; ".join(error.messages), path) from None
    except KeyError as error:
        raise ArchiveError(f"missing field {error}", path) from None
    except (TypeError, ValueError, AttributeError, DatabaseError) as error:
        raise ArchiveError(str(error), path) from None


def _time(value):
    return datetime.fromisoformat(value) if value is not None else None


def _checked(instance, exclude=()):
    """The instance, its fields checked as a form would check them (choices, lengths).
    Relations are left out: they come from this restore, and checking each would cost a
    query per record."""
    relations = [field.name for field in instance._meta.fields if field.is_relation]
    instance.clean_fields(exclude=["password", "slug", *relations, *exclude])
    return instance


class _Restore:
    def __init__(self, data):
        self.data = data
        self.users = {}
        self.characters = {}

    def run(self):
        with _record("users"):
            for index, record in enumerate(self.data.get("users", [])):
                with _record(f"users[{index}]"):
                    self._user(record)
        with _record("story"):
            story = self._story(self.data["story"])
        for index, record in enumerate(self.data.get("memberships", [])):
            with _record(f"memberships[{index}]"):
                self._membership(story, record)
        for index, record in enumerate(self.data.get("characters", [])):
            with _record(f"characters[{index}]"):
                self._character(record)
        for index, record in enumerate(self.data.get("chapters", [])):
            with _record(f"chapters[{index}]"):
                self._chapter(story, record, f"chapters[{index}]")
        _recount(story, _time(self.data["story"].get("updated_at")))
        return story

    # --- People --------------------------------------------------------------------------

    def _user(self, record):
        username = record["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                display_name=record.get("display_name", ""),
                email=record.get("email", ""),
            )
            user.set_unusable_password()
            _checked(user).save()
        self.users[username] = user

    def user(self, username):
        if username not in self.users:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise ArchiveError(f"unknown user {username!r} (not in the archive's users)")
            self.users[username] = user
        return self.users[username]

    def character(self, slug):
        if slug not in self.characters:
            raise ArchiveError(f"unknown character {slug!r} (not in the archive's characters)")
        return self.characters[slug]

    # --- The story -----------------------------------------------------------------------

    def _story(self, record):
        owners = [m for m in self.data.get("memberships", []) if m.get("role") == "owner"]
        if len(owners) != 1:
            raise ArchiveError("the story needs exactly one owner", "memberships")
        fields = {
            "title": record["title"],
            "summary": record.get("summary", ""),
            "rating": record.get("rating", Story._meta.get_field("rating").default),
            "warnings": record.get("warnings", []),
            "status": record.get("status", Story.Status.IN_PROGRESS),
            "visibility": record.get("visibility", Story.Visibility.MEMBERS),
            "language": record.get("language", "en"),
            "created_at": _time(record["created_at"]),
            "updated_at": _time(record["updated_at"]),
        }
        if record.get("slug") and not Story.objects.filter(slug=record["slug"]).exists():
            fields["slug"] = record["slug"]
        _checked(Story(**fields))
        owner = self.user(owners[0]["user"])
        return structure.create_story(owner, tags=record.get("tags", []), **fields)

    def _membership(self, story, record):
        fields = {
            "role": record["role"],
            "status": record.get("status", Membership.Status.ACTIVE),
            "invited_by": self.user(record["invited_by"]) if record.get("invited_by") else None,
            "created_at": _time(record["created_at"]),
            "responded_at": _time(record.get("responded_at")),
        }
        user = self.user(record["user"])
        if fields["role"] == Membership.Role.OWNER:
            # create_story made the owner's membership; give it the archive's dates.
            story.memberships.filter(user=user).update(**fields)
            return
        _checked(Membership(story=story, user=user, **fields)).save()

    def _character(self, record):
        slug = record["slug"]
        character = Character(
            owner=self.user(record["owner"]),
            name=record["name"],
            tagline=record.get("tagline", ""),
            description=record.get("description", ""),
            pronouns=record.get("pronouns", ""),
            created_at=_time(record["created_at"]),
            retired_at=_time(record.get("retired_at")),
        )
        if slug and not Character.objects.filter(slug=slug).exists():
            character.slug = slug
        _checked(character, exclude=["portrait", "portrait_thumb"])
        stem = uuid.uuid4().hex
        for field, suffix in (("portrait", ""), ("portrait_thumb", "-thumb")):
            if record.get(field):
                content = _picture(record[field], f"{stem}{suffix}")
                getattr(character, field).save(content.name, content, save=False)
        character.save()
        self.characters[slug] = character

    # --- Chapters, scenes, posts ---------------------------------------------------------

    def _chapter(self, story, record, path):
        chapter = structure.add_chapter(
            story,
            number=record["number"],
            title=record["title"],
            summary=record.get("summary", ""),
            is_published=record.get("is_published", True),
            published_at=_time(record.get("published_at")),
            created_at=_time(record["created_at"]),
        )
        _checked(chapter)
        for index, scene_record in enumerate(record.get("scenes", [])):
            with _record(f"{path}.scenes[{index}]"):
                self._scene(chapter, scene_record, f"{path}.scenes[{index}]")

    def _scene(self, chapter, record, path):
        fields = {
            "title": record["title"],
            "setting": record.get("setting", ""),
            "turn_mode": record.get("turn_mode", Scene.TurnMode.ROUND_ROBIN),
            "is_open": record.get("is_open", True),
            "created_at": _time(record["created_at"]),
            "last_post_at": _time(record.get("last_post_at")),
            "turn_deadline_days": record.get("turn_deadline_days"),
        }
        _checked(Scene(chapter=chapter, position=record["position"], **fields))
        participants = sorted(record.get("participants", []), key=lambda p: p["position"])
        cast = [self.character(p["character"]) for p in participants]
        scene = structure.add_scene(chapter, position=record["position"], cast=cast, **fields)
        posts = []
        for index, post_record in enumerate(record.get("posts", [])):
            with _record(f"{path}.posts[{index}]"):
                posts.append(self._post(scene, post_record, {p.number for p in posts}))
        Post.objects.bulk_create(posts)
        revisions = []
        for post_index, (post, post_record) in enumerate(
            zip(posts, record.get("posts", []), strict=True)
        ):
            for index, revision_record in enumerate(post_record.get("revisions", [])):
                with _record(f"{path}.posts[{post_index}].revisions[{index}]"):
                    revisions.append(self._revision(post, revision_record))
        Revision.objects.bulk_create(revisions)

    def _post(self, scene, record, taken):
        character = self.character(record["character"]) if record.get("character") else None
        post = Post(
            scene=scene,
            number=record["number"],
            author=self.user(record["author"]),
            character=character,
            kind=record["kind"],
            body=record.get("body", ""),
            status=record.get("status", Post.Status.APPROVED),
            moderation_reason=record.get("moderation_reason", ""),
            created_at=_time(record["created_at"]),
            edited_at=_time(record.get("edited_at")),
            approved_at=_time(record.get("approved_at")),
            published_at=_time(record.get("published_at")),
        )
        _checked(post)
        if post.number in taken:
            raise ArchiveError(f"post number {post.number} appears twice in this scene")
        if character is None and post.kind in (Post.Kind.IN_CHARACTER, Post.Kind.SKIP):
            raise ArchiveError(f"a post of kind {post.kind!r} needs a character")
        markup.render_markdown_fields(post)
        return post

    def _revision(self, post, record):
        revision = Revision(
            post=post,
            number=record["number"],
            body=record.get("body", ""),
            editor=self.user(record["editor"]),
            status=record.get("status", Revision.Status.APPROVED),
            created_at=_time(record["created_at"]),
        )
        _checked(revision)
        markup.render_markdown_fields(revision)
        return revision


def _picture(encoded, stem):
    """A stored picture from base64, as it was (no re-encoding, so a round trip keeps its
    bytes), once it decodes as one of the formats portraits allow."""
    try:
        data = base64.b64decode(encoded, validate=True)
        with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as image:
            image.verify()
            extension = "png" if image.format == "PNG" else "jpg"
    except (binascii.Error, UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ArchiveError("a portrait is not a picture we can read") from None
    return ContentFile(data, name=f"{stem}.{extension}")


def _recount(story, updated_at):
    """The cached word counts from the restored posts, then the archive's updated_at."""
    story_words = 0
    for chapter in Chapter.objects.filter(story=story).prefetch_related("scenes__posts"):
        chapter_words = 0
        for scene in chapter.scenes.all():
            words = sum(p.word_count for p in scene.posts.all() if p.counts_in_story)
            Scene.objects.filter(pk=scene.pk).update(word_count=words)
            chapter_words += words
        Chapter.objects.filter(pk=chapter.pk).update(word_count=chapter_words)
        if chapter.is_published:
            story_words += chapter_words
    Story.objects.filter(pk=story.pk).update(word_count=story_words, updated_at=updated_at)
    story.refresh_from_db()
