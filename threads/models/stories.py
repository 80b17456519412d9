from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from threads.lib import markup

from . import generations
from .slugs import unique_slug


class Rating(models.TextChoices):
    NOT_RATED = "not_rated", "Not rated"
    GENERAL = "general", "General audiences"
    TEEN = "teen", "Teen and up"
    MATURE = "mature", "Mature"
    EXPLICIT = "explicit", "Explicit"


ADULT_RATINGS = {Rating.MATURE, Rating.EXPLICIT}


class ContentWarning(models.TextChoices):
    """Content warnings a story can carry. Stored as a list of these codes."""

    NONE_APPLY = "none", "No warnings apply"
    NOT_USED = "not_used", "Writers chose not to use warnings"
    VIOLENCE = "violence", "Graphic violence"
    DEATH = "death", "Major character death"
    SELF_HARM = "self_harm", "Self-harm or suicide"
    ABUSE = "abuse", "Abuse"
    SEXUAL_CONTENT = "sexual", "Sexual content"
    SUBSTANCES = "substances", "Drug or alcohol use"


def validate_warnings(value):
    if not isinstance(value, list):
        raise ValidationError("Warnings must be a list.")
    unknown = [code for code in value if code not in ContentWarning.values]
    if unknown:
        raise ValidationError(f"Unknown warnings: {', '.join(map(str, unknown))}.")


class StoryQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Stories this user may read: public ones, registered-only ones once signed in,
        and members-only (draft) stories of which they are an active member."""
        if user is None or not user.is_authenticated:
            return self.filter(visibility=Story.Visibility.PUBLIC)
        is_member = Membership.objects.filter(
            story=models.OuterRef("pk"), user=user, status=Membership.Status.ACTIVE
        )
        return self.filter(
            Q(visibility__in=[Story.Visibility.PUBLIC, Story.Visibility.REGISTERED])
            | Q(models.Exists(is_member))
        )

    def with_published_chapters(self):
        """Stories with something to read: at least one published chapter."""
        return self.filter(published_chapter_count__gt=0)

    def recently_updated(self):
        return self.order_by("-updated_at", "-pk")

    def not_muted_by(self, user):
        """Leave out stories any active member of which ``user`` muted (threads.models.Mute)."""
        if user is None or not user.is_authenticated:
            return self
        muted = Membership.objects.filter(
            story=models.OuterRef("pk"),
            status=Membership.Status.ACTIVE,
            user__muted_by__reader=user,
        )
        return self.exclude(models.Exists(muted))

    def for_listing(self):
        """Everything a story card shows, in a fixed number of queries whatever the row count.
        Tags and active writers come as lists (``listed_tags``, ``active_memberships``):
        taggit's own prefetch builds (not runs) a queryset per story to hold its cache, and
        a writer's credit needs their names, not their password hash and biography."""
        writers = (
            Membership.objects.active()
            .select_related("user")
            .only("story", "user", "user__username", "user__display_name")
            .order_by("pk")
        )
        return self.prefetch_related(
            Prefetch("tags", to_attr="listed_tags"),
            Prefetch("memberships", queryset=writers, to_attr="active_memberships"),
        )


class Story(markup.RendersMarkdown, models.Model):
    rendered_fields = {"summary": "summary_html"}

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        HIATUS = "hiatus", "On hiatus"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        REGISTERED = "registered", "Registered readers only"
        MEMBERS = "members", "Members only (draft)"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True, blank=True)
    summary = models.TextField(blank=True, help_text="Markdown.")
    summary_html = models.TextField(blank=True, editable=False)
    tags = TaggableManager(blank=True)
    rating = models.CharField(max_length=12, choices=Rating.choices, default=Rating.NOT_RATED)
    warnings = models.JSONField(default=list, blank=True, validators=[validate_warnings])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    word_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(
        default=timezone.now, help_text="When the last post was approved."
    )
    # Reader features (threads.library): the kudos count is kept with F() beside the Kudos
    # rows; reader-insert lets a second-person story show each reader's own name where the
    # writers typed a placeholder (threads.lib.markup wraps them).
    kudos_count = models.PositiveIntegerField(default=0, editable=False)
    # Kept with F() by Chapter.count_in_story as chapters are published or unpublished
    # (Chapter.set_published), added published or deleted (threads.writing.structure): every
    # list asks "is there anything to read?", and a column answers it without looking at
    # 10,000 stories' chapters.
    published_chapter_count = models.PositiveIntegerField(default=0, editable=False)
    # The anonymous page cache's key for this story's pages (threads/models/generations.py).
    generation = models.PositiveBigIntegerField(default=0, editable=False)
    reader_insert = models.BooleanField(
        "reader-insert",
        default=False,
        help_text="For stories written in the second person: readers may set a name, shown "
        "wherever the writers typed one of the placeholders below.",
    )
    reader_insert_placeholders = models.CharField(
        "reader-insert placeholders",
        max_length=200,
        blank=True,
        default=markup.DEFAULT_PLACEHOLDERS_TEXT,
        help_text="Separated by commas, for example: Y/N, {{user}}, [name].",
    )

    # Comments on its chapters (threads.library.comments): open to signed-in readers,
    # shown and taken only from signed-in readers, or off.
    comment_policy = models.CharField(
        "comments",
        max_length=10,
        choices=[
            ("open", "Signed-in readers comment; everyone reads the comments"),
            ("registered", "Only signed-in readers see and write comments"),
            ("off", "No comments"),
        ],
        default="open",
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["visibility", "-updated_at"]),
            # Every list of stories: those with something to read, last updated first. A
            # tag's page walks it and stops at its twentieth story (0.2 ms at 10,000
            # stories on PostgreSQL, against 14 ms to scan and sort them all).
            models.Index(
                fields=["visibility", "-updated_at", "-id"],
                condition=Q(published_chapter_count__gt=0),
                name="story_listed",
            ),
            # The story list's filters and sorts (threads.forms.browse) on PostgreSQL. The GIN
            # index answers "carries this warning" (@>); the list's "leave this warning out"
            # cannot use an index and tests the rows the others picked.
            models.Index(fields=["rating", "-updated_at"], name="story_rating"),
            models.Index(fields=["status", "-updated_at"], name="story_status"),
            models.Index(fields=["language", "-updated_at"], name="story_language"),
            models.Index(fields=["-word_count"], name="story_words"),
            models.Index(fields=["-created_at"], name="story_created"),
            models.Index(fields=["title"], name="story_title"),
            models.Index(fields=["-kudos_count"], name="story_kudos"),
            GinIndex(fields=["warnings"], name="story_warnings"),
        ]

    def __str__(self):
        return self.title

    # Kept by UPDATEs with F() where they change (chapters, posts, kudos, the page cache):
    # saving a Story read before one of those must not write its stale copy back over them.
    COUNTERS = frozenset({"word_count", "published_chapter_count", "kudos_count", "generation"})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Story, self.title, "story")
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname not in self.COUNTERS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("story_detail", args=[self.slug])

    @property
    def is_adult(self):
        return self.rating in ADULT_RATINGS

    @property
    def is_complete(self):
        return self.status == self.Status.COMPLETE

    @property
    def is_public(self):
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_draft(self):
        """Members only: nobody else can read it."""
        return self.visibility == self.Visibility.MEMBERS

    def get_warnings_display(self):
        labels = dict(ContentWarning.choices)
        return [labels.get(code, code) for code in self.warnings]

    def membership_of(self, user):
        """The user's active membership in this story, or None. Remembered on this instance,
        since a page asks it several times (access, actions, panels); code that must see a
        change made meanwhile loads the story afresh, as the locked write paths do."""
        if user is None or not user.is_authenticated:
            return None
        known = self.__dict__.setdefault("_memberships_by_user", {})
        if user.pk not in known:
            known[user.pk] = self.memberships.active().filter(user=user).first()
        return known[user.pk]

    @property
    def placeholders(self):
        """The reader-insert placeholders the owner listed, or none when it is off."""
        if not self.reader_insert:
            return ()
        return markup.parse_placeholders(self.reader_insert_placeholders)

    def markdown_placeholders(self):
        return self.placeholders

    def set_status(self, status):
        """Mark the story in progress, complete or on hiatus. Raises ValueError for anything
        else, so a forged form value never reaches the database."""
        if status not in self.Status.values:
            raise ValueError(f"{status!r} is not a story status.")
        self.status = status
        with transaction.atomic():
            self.save(update_fields=["status"])
            generations.bump_story(self.pk)  # the anonymous page cache


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def invited(self):
        return self.filter(status=Membership.Status.INVITED)

    def pending_invitations(self, user):
        """The user's open invitations, newest first, ready for
        templates/threads/accounts/_invitations.html. ``just_sent`` marks those under a
        minute old, which read "just now" rather than "0 minutes ago"."""
        recent = Q(created_at__gt=timezone.now() - timedelta(minutes=1))
        just_sent = models.ExpressionWrapper(recent, output_field=models.BooleanField())
        return (
            self.invited()
            .filter(user=user)
            .select_related("story", "invited_by")
            .annotate(just_sent=just_sent)
            .order_by("-created_at")
        )


class Membership(models.Model):
    """A writer's place in a story. Everyone but the owner is invited first, and joins
    only by accepting: nobody is added to a story without consent."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        CO_WRITER = "co_writer", "Co-writer"
        NARRATOR = "narrator", "Narrator"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        REMOVED = "removed", "Removed"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.CO_WRITER)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "user"], name="membership_once_per_story"),
            models.UniqueConstraint(
                fields=["story"], condition=Q(role="owner"), name="membership_one_owner"
            ),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self):
        return f"{self.user} in {self.story} ({self.get_role_display()})"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_invited(self):
        return self.status == self.Status.INVITED

    @property
    def is_removed(self):
        return self.status == self.Status.REMOVED

    @property
    def is_owner(self):
        return self.role == self.Role.OWNER

    @property
    def is_narrator(self):
        return self.role == self.Role.NARRATOR

    @property
    def can_manage(self):
        """Owners and narrators add chapters and scenes, and may skip turns."""
        return self.is_active and self.role in {self.Role.OWNER, self.Role.NARRATOR}

    def set_role(self, role):
        self.role = role
        with transaction.atomic():
            self.save(update_fields=["role"])
            generations.bump_story(self.story_id)  # the story page credits roles

    def mark_removed(self):
        """The membership ends; the row stays, so the writer's posts keep their credit. The
        characters' leaving open scenes is threads.writing.membership.remove's part."""
        self.status = self.Status.REMOVED
        self.responded_at = timezone.now()
        self.save(update_fields=["status", "responded_at"])


class ChapterQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Chapter(markup.RendersMarkdown, models.Model):
    rendered_fields = {"summary": "summary_html"}

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="Markdown.")
    summary_html = models.TextField(blank=True, editable=False)
    is_published = models.BooleanField("published", default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["story", "number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "number"], name="chapter_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="chapter_number_positive"),
        ]

    def __str__(self):
        return f"{self.story} — {self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("chapter_detail", args=[self.story.slug, self.number])

    def markdown_placeholders(self):
        return self.story.placeholders

    @property
    def reading_minutes(self):
        """Reading time at 230 words a minute, never less than one minute."""
        return max(1, round(self.word_count / 230))

    def set_published(self, published):
        """Publish or unpublish, moving this chapter's words in or out of the story's count."""
        if published == self.is_published:
            return
        self.is_published = published
        if published and self.published_at is None:
            self.published_at = timezone.now()
        self.save(update_fields=["is_published", "published_at"])
        # Read the chapter's count in the database, not this instance's possibly stale copy.
        words = models.Subquery(Chapter.objects.filter(pk=self.pk).values("word_count")[:1])
        change = F("word_count") + words if published else F("word_count") - words
        story_changes = {"word_count": change}
        if published:
            story_changes["updated_at"] = timezone.now()
        self.count_in_story(1 if published else -1, **story_changes)

    def count_in_story(self, change, **story_changes):
        """Add ``change`` (1 or -1) to the story's count of published chapters, with any
        other changes to the story's row in the same UPDATE."""
        count = F("published_chapter_count") + change
        Story.objects.filter(pk=self.story_id).update(
            published_chapter_count=count, **story_changes
        )


class Scene(models.Model):
    class TurnMode(models.TextChoices):
        FREE = "free", "Free: anyone, any time"
        ROUND_ROBIN = "round_robin", "Round robin: strict posting order"
        NARRATOR_LED = "narrator_led", "Narrator-led: players in order between narration"

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="scenes")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    setting = models.CharField(max_length=300, blank=True, help_text="Where and when.")
    turn_mode = models.CharField(
        max_length=14, choices=TurnMode.choices, default=TurnMode.ROUND_ROBIN
    )
    is_open = models.BooleanField("open", default=True)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Turn deadlines (off when empty): halfway the writer who is up is reminded once, at the
    # deadline the turn is skipped (manage.py run_turn_deadlines).
    turn_deadline_days = models.PositiveSmallIntegerField(
        "turn deadline (days)",
        null=True,
        blank=True,
        help_text="Skip a stalled turn after this many days. Leave empty for no deadline.",
    )
    # The start of the turn whose writer was last reminded, so a reminder goes out once.
    turn_reminded_for = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["chapter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "position"], name="scene_position_unique"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "scene_detail", args=[self.chapter.story.slug, self.chapter.number, self.position]
        )

    def set_open(self, is_open):
        """Open the scene for posts, or close it: a closed scene takes none."""
        self.is_open = is_open
        self.save(update_fields=["is_open"])


class Participant(models.Model):
    """A character taking part in a scene, at a place in its posting order."""

    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="participants")
    character = models.ForeignKey(
        "threads.Character", on_delete=models.PROTECT, related_name="participations"
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["scene", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scene", "character"], name="participant_once"),
            models.UniqueConstraint(fields=["scene", "position"], name="participant_position"),
        ]

    def __str__(self):
        return f"{self.character} in {self.scene} (#{self.position})"
