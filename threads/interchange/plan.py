"""The shared half of every importer: what a parser makes of a file, and how that is saved.

Each importer (text_import, discord, sillytavern) is a pure parser: bytes in, a ``Plan`` out,
with nothing saved. The plan says how the text was split into chapters, scenes and posts, who
each post is credited to, which lines were dropped as site chrome, and what looked odd. The
upload's preview page, every command's ``--dry-run`` and the real import all start from the
same plan; only ``apply`` writes, in one transaction, so a failure saves nothing.

Credit: a speaker found by name among the importing owner's characters is the owner's. Any
other speaker's posts belong to a placeholder writer, an inactive account named after the
character, until a real writer claims them (threads/interchange/claims.py).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from threads.lib import markup
from threads.models import Character, Membership, Post, Scene, Story, User
from threads.writing import frontier, structure

# Uploads larger than this are refused before parsing (the commands take any size).
UPLOAD_MAX_BYTES = getattr(settings, "RP_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
NAME_MAX_LENGTH = Character._meta.get_field("name").max_length
BATCH_SIZE = 1000


class ImportFailed(Exception):
    """A file that cannot be imported. The message is for the person importing it and
    names the line or record at fault."""


@dataclass(slots=True)
class PlannedPost:
    speaker: str | None  # a key of Plan.speakers; None for narration by the importer
    body: str
    kind: str = Post.Kind.IN_CHARACTER
    created_at: datetime | None = None
    where: str = ""  # "line 12", "message 340": for messages about this post


@dataclass
class PlannedScene:
    title: str
    posts: list = field(default_factory=list)
    turn_mode: str = Scene.TurnMode.FREE


@dataclass
class PlannedChapter:
    title: str
    number: int | None = None
    scenes: list = field(default_factory=list)


@dataclass
class Speaker:
    """Who a run of posts is credited to: a character named ``name`` (or, with
    ``character`` False, narration), written by the existing account ``writer`` if given,
    else by the owner or a placeholder (see the module docstring)."""

    name: str
    writer: str | None = None
    character: bool = True
    note: str = ""


@dataclass
class Plan:
    source: str
    chapters: list = field(default_factory=list)
    speakers: dict = field(default_factory=dict)
    dropped: list = field(default_factory=list)  # (where, text) of lines left out
    warnings: list = field(default_factory=list)
    title: str = ""  # a title the file suggests for a new story

    @property
    def is_streamed(self):
        return not isinstance(self.chapters, list)

    @property
    def post_count(self):
        """The number of posts (None for a streamed plan, which is only read as saved)."""
        if self.is_streamed:
            return None
        return sum(len(s.posts) for c in self.chapters for s in c.scenes)

    def speaker(self, key, name=None, **fields):
        """The speaker under ``key``, added on first sight."""
        if key not in self.speakers:
            self.speakers[key] = Speaker(name=(name or key)[:NAME_MAX_LENGTH], **fields)
        return key

    def check(self):
        """Refuse a plan with nothing in it or a post over the site's length limit."""
        if not self.post_count:
            raise ImportFailed("There is nothing to import: the file has no text in it.")
        for post in self.posts():
            check_post(post)
        return self

    def posts(self):
        for chapter in self.chapters:
            for scene in chapter.scenes:
                yield from scene.posts

    def credits(self):
        """(speaker name, note, post count) in order of first appearance."""
        counts = {}
        for post in self.posts():
            counts[post.speaker] = counts.get(post.speaker, 0) + 1
        return [
            (self.speakers[key].name if key else "Narration", self._note(key), count)
            for key, count in counts.items()
        ]

    def _note(self, key):
        if key is None:
            return "narration, credited to you"
        speaker = self.speakers[key]
        parts = [speaker.note] if speaker.note else []
        if speaker.writer:
            parts.append(f"written by @{speaker.writer}")
        return ", ".join(parts)


def check_post(post):
    """Refuse a post over the site's length limit, naming where it is in the file."""
    limit = settings.RP_MAX_POST_LENGTH
    if len(post.body) > limit:
        raise ImportFailed(
            f"{post.where.capitalize() or 'A post'}: the post would be "
            f"{len(post.body):,} characters long; the limit is {limit:,}."
        )


# --- Describing a plan (the preview page and --dry-run) ----------------------------------

PREVIEW_POSTS = 12


@dataclass
class PreviewPost:
    name: str
    is_ooc: bool
    created_at: datetime | None
    body: str


def preview(plan, limit):
    """Each chapter as (chapter, its first ``limit`` posts as PreviewPosts, how many more)."""
    rows = []
    for chapter in plan.chapters:
        posts = [post for scene in chapter.scenes for post in scene.posts]
        shown = [
            PreviewPost(_name(plan, p), p.kind == Post.Kind.OUT_OF_CHARACTER, p.created_at, p.body)
            for p in posts[:limit]
        ]
        rows.append((chapter, shown, max(0, len(posts) - limit)))
    return rows


def describe(plan):
    """The preview as lines of text, for ``--dry-run``."""
    lines = [f"{plan.source}: {plan.post_count:,} posts in {len(plan.chapters)} chapter(s)."]
    for name, note, count in plan.credits():
        lines.append(f"  {name}: {count:,} posts" + (f" ({note})" if note else ""))
    for chapter in plan.chapters:
        number = f"{chapter.number}. " if chapter.number else ""
        lines.append(f"Chapter {number}{chapter.title}")
        for scene in chapter.scenes:
            lines.append(f"  Scene: {scene.title} ({len(scene.posts):,} posts)")
            for post in scene.posts[:PREVIEW_POSTS]:
                lines.append(f"    {_who(plan, post)}: {_excerpt(post.body)}")
            if len(scene.posts) > PREVIEW_POSTS:
                lines.append(f"    … and {len(scene.posts) - PREVIEW_POSTS:,} more")
    for where, text in plan.dropped:
        lines.append(f"Dropped ({where}): {text}")
    lines += [f"Warning: {warning}" for warning in plan.warnings]
    return lines


def _name(plan, post):
    return plan.speakers[post.speaker].name if post.speaker else "Narration"


def _who(plan, post):
    name = _name(plan, post)
    return f"{name} (OOC)" if post.kind == Post.Kind.OUT_OF_CHARACTER else name


def _excerpt(body, length=70):
    text = " ".join(body.split())
    return text if len(text) <= length else text[: length - 1] + "…"


# --- Saving a plan ------------------------------------------------------------------------


def apply(plan, owner, story_ref, progress=None):
    """Save ``plan`` into the owner's story ``story_ref`` (a slug or title; a new story by
    that title when the owner has none), all or nothing. ``progress(n)`` is told of every
    ``n`` posts saved. Returns the story, its new chapters in ``imported_chapters`` and the
    number of posts saved in ``imported_posts``.

    ``plan.chapters`` may be a generator (a streamed Discord export): each chapter is then
    checked as it is saved, and a bad one rolls back everything saved before it."""
    if not plan.is_streamed:
        plan.check()
    with transaction.atomic():
        story, created = _story(owner, story_ref)
        saving = _Saving(story, _People(owner, plan.speakers), progress)
        chapters = [saving.chapter(chapter) for chapter in plan.chapters]
        if not saving.count:
            raise ImportFailed("There is nothing to import: the file has no text in it.")
        if created and saving.latest:
            Story.objects.filter(pk=story.pk).update(updated_at=saving.latest)
    story.refresh_from_db()
    story.imported_chapters, story.imported_posts = chapters, saving.count
    return story


def _story(owner, ref):
    ref = ref.strip()
    if not ref:
        raise ImportFailed("Name the story to import into.")
    found = Story.objects.filter(slug=ref).first() or Story.objects.filter(title=ref).first()
    if found is None:
        return structure.create_story(owner, title=ref[:200]), True
    is_owner = found.memberships.filter(
        user=owner, role=Membership.Role.OWNER, status=Membership.Status.ACTIVE
    ).exists()
    if not is_owner:
        raise ImportFailed(f"The story “{found.title}” is not {owner.username}'s to import into.")
    return found, False


class _Saving:
    """Saves chapters one at a time, keeping only counts between them."""

    def __init__(self, story, people, progress):
        self.story, self.people, self.progress = story, people, progress
        self.count, self.latest = 0, None
        # Read once, not once a post (Post.markdown_placeholders queries for them).
        placeholders = tuple(story.placeholders)
        self.placeholders = lambda: placeholders

    def chapter(self, planned):
        times = [p.created_at for s in planned.scenes for p in s.posts if p.created_at]
        if times:
            self.latest = max(self.latest or max(times), max(times))
        start = min(times) if times else timezone.now()
        fields = {"title": planned.title[:200], "is_published": True, "published_at": start}
        if planned.number:
            chapter = structure.add_chapter_numbered(self.story, planned.number, **fields)
        else:
            chapter = structure.add_chapter(self.story, **fields)
        for scene in planned.scenes:
            for post in scene.posts:
                check_post(post)
            self.scene(chapter, scene)
        _forget_logged_queries()
        return chapter

    def scene(self, chapter, planned):
        credits = [self.people.credit(post.speaker) for post in planned.posts]
        cast = list({c.pk: c for _, c in credits if c is not None}.values())
        scene = structure.add_scene(
            chapter, title=planned.title[:200], cast=cast, turn_mode=planned.turn_mode
        )
        now = timezone.now()
        for start in range(0, len(planned.posts), BATCH_SIZE):
            batch = zip(planned.posts[start : start + BATCH_SIZE], credits[start:], strict=False)
            posts = [
                self.post(scene, start + offset, planned_post, *credit, now)
                for offset, (planned_post, credit) in enumerate(batch, start=1)
            ]
            Post.objects.bulk_create(posts)
            self.count += len(posts)
            if self.progress:
                self.progress(len(posts))
        # Published as they were written: the log's own times, not the moment of the import.
        frontier.refresh(scene.pk, now, as_written=True)
        last = scene.posts.aggregate(last=Max("created_at"))["last"]
        Scene.objects.filter(pk=scene.pk).update(last_post_at=last)

    def post(self, scene, number, planned, author, character, now):
        kind = planned.kind
        if character is None and kind == Post.Kind.IN_CHARACTER:
            kind = Post.Kind.NARRATION
        if kind == Post.Kind.OUT_OF_CHARACTER:
            character = None
        created = planned.created_at or now
        post = Post(
            scene=scene,
            number=number,
            author=author,
            character=character,
            kind=kind,
            body=planned.body,
            status=Post.Status.APPROVED,
            created_at=created,
            approved_at=created,
        )
        post.markdown_placeholders = self.placeholders
        markup.render_markdown_fields(post)
        return post


def _forget_logged_queries():
    """With DEBUG on (the default on a laptop) Django keeps the last 9,000 queries, each
    bulk insert as a string of tens of kilobytes: a long import held hundreds of megabytes
    by its end. Let them go after each chapter, unless something is capturing queries (a
    test's CaptureQueriesContext, which sets force_debug_cursor)."""
    if settings.DEBUG and not connection.force_debug_cursor:
        reset_queries()


class _People:
    """Who each speaker's posts are credited to: (author, character or None)."""

    def __init__(self, owner, speakers):
        self.owner = owner
        self.speakers = speakers
        self.credits = {None: (owner, None)}

    def credit(self, key):
        if key not in self.credits:
            self.credits[key] = self._resolve(self.speakers[key])
        return self.credits[key]

    def _resolve(self, speaker):
        if speaker.writer:
            writer = User.objects.filter(username=speaker.writer, is_active=True).first()
            if writer is None:
                raise ImportFailed(f"There is no writer @{speaker.writer} here to credit.")
            return writer, self._character(writer, speaker.name) if speaker.character else None
        if speaker.character:
            own = self.owner.characters.filter(name__iexact=speaker.name).first()
            if own is not None:
                return self.owner, own
        placeholder = make_placeholder(speaker.name)
        if not speaker.character:
            return placeholder, None
        return placeholder, Character.objects.create(owner=placeholder, name=speaker.name)

    def _character(self, writer, name):
        found = writer.characters.filter(name__iexact=name).first()
        return found or Character.objects.create(owner=writer, name=name)


def make_placeholder(name):
    """An inactive account, flagged as a placeholder, standing in for ``name``'s writer."""
    base = "imported-" + (slugify(name, allow_unicode=True)[:100] or "writer")
    username, suffix = base, 1
    while User.objects.filter(username=username).exists():
        suffix += 1
        username = f"{base}-{suffix}"
    user = User(username=username, display_name=name[:80], is_active=False, is_placeholder=True)
    user.set_unusable_password()
    user.save()
    return user
