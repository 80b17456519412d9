from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from threads.lib import markup

from .stories import Scene, Story


class PostQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Post.Status.APPROVED)

    def published(self):
        """What readers may see of a scene: approved posts up to its reading frontier
        (threads/writing/frontier.py). Every reader channel starts here."""
        return self.filter(published_at__isnull=False)

    def for_readers(self):
        """What reader mode shows: published story text, without OOC chatter or skips."""
        return self.published().filter(kind__in=Post.STORY_KINDS)

    def visible_to(self, user, is_member=False):
        """Posts this user may see in a story they can read. Readers see published posts;
        members also see approved posts behind the frontier and pending ones, so the next
        writer can answer; an author also sees their own rejected and removed posts, with
        the moderator's reason."""
        visible = Q(published_at__isnull=False)
        if is_member:
            visible |= Q(status__in=[Post.Status.APPROVED, Post.Status.PENDING])
        if user is not None and user.is_authenticated:
            own = [Post.Status.PENDING, Post.Status.REJECTED, Post.Status.REMOVED]
            visible |= Q(author=user, status__in=own)
        return self.filter(visible)

    def with_credits(self):
        return self.select_related("author", "character")

    def with_credit_columns(self):
        """What ``with_credits`` gives, for pages of many posts by a few writers: only the
        columns a credit prints, as attributes of each post (``credit_username``,
        ``credit_display_name``, ``credit_character_name``, ``credit_character_slug``,
        ``credit_portrait``), rather than a writer and a character built for every post.
        threads.views.credits makes one of each per writer and character."""
        return self.annotate(
            credit_username=F("author__username"),
            credit_display_name=F("author__display_name"),
            credit_character_name=F("character__name"),
            credit_character_slug=F("character__slug"),
            credit_portrait=F("character__portrait_thumb"),
        )

    def with_pending_edit(self):
        """Annotate ``has_pending_edit``: whether the post has an edit awaiting approval."""
        edits = Revision.objects.pending_edits().filter(post=OuterRef("pk"))
        return self.annotate(has_pending_edit=Exists(edits))


class Post(markup.RendersMarkdown, models.Model):
    class Kind(models.TextChoices):
        IN_CHARACTER = "ic", "In character"
        NARRATION = "narration", "Narration"
        OUT_OF_CHARACTER = "ooc", "Out of character"
        # A skipped turn, recorded by the owner or narrator: it takes the skipped
        # character's turn and carries no text.
        SKIP = "skip", "Skipped turn"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        # Taken out for good by a moderator (spam, abuse): it leaves the reading sequence
        # and the turn order, and is kept for the audit trail and its author.
        REMOVED = "removed", "Removed"

    # Kinds that are part of the story, counted in word counts and shown in reader mode.
    STORY_KINDS = (Kind.IN_CHARACTER, Kind.NARRATION)

    scene = models.ForeignKey(Scene, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    character = models.ForeignKey(
        "threads.Character",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.IN_CHARACTER)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    moderation_reason = models.TextField(
        blank=True, help_text="The reason for the last rejection, shown to the author."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When readers first could see the post: set when the scene's reading frontier passes
    # it (threads/writing/frontier.py), cleared if it falls behind the frontier again.
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    rendered_fields = {"body": "body_html"}

    class Meta:
        ordering = ["scene", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scene", "number"], name="post_number_unique"),
            models.CheckConstraint(
                condition=Q(kind="ic", character__isnull=False)
                | Q(kind="skip", character__isnull=False)
                | Q(kind__in=["narration", "ooc"]),
                name="post_ic_has_character",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["author", "-created_at"]),
            models.Index(fields=["published_at"]),
        ]
        permissions = [("moderate_post", "Can approve and reject posts")]

    def __str__(self):
        return f"#{self.number} in {self.scene}"

    def get_absolute_url(self):
        """The post on its scene page. ``?post=`` opens the page of a long scene that holds
        it; the anchor alone would land on the default page, where it may not be."""
        anchor = f"post-{self.scene_id}-{self.number}"
        return f"{self.scene.get_absolute_url()}?post={self.number}#{anchor}"

    def source_rendered(self, source):
        # The word count follows the text: it changes exactly when the text is rendered.
        self.word_count = markup.count_words(self.body)
        return ["word_count"]

    def markdown_placeholders(self):
        """The story's reader-insert tokens (threads.lib.markup), read from the database:
        a story object loaded earlier may predate the owner's change. One query, only when
        the text is rendered."""
        story = (
            Story.objects.filter(chapters__scenes=self.scene_id, reader_insert=True)
            .only("reader_insert", "reader_insert_placeholders")
            .first()
        )
        return story.placeholders if story else ()

    @property
    def counts_in_story(self):
        """Whether this post's words belong in the scene, chapter and story counts: readers
        can see it, and it is story text."""
        return self.is_published and self.kind in self.STORY_KINDS

    @property
    def is_published(self):
        """Whether readers can see the post: approved, and before its scene's frontier."""
        return self.published_at is not None

    @property
    def is_held_back(self):
        """Approved, but behind the scene's frontier: members see it, readers not yet."""
        return self.status == self.Status.APPROVED and self.published_at is None

    # --- What the post is, and who may do what with it --------------------------------
    # Templates ask these rather than compare kind and status strings; views ask the
    # ``*_by`` methods once per page (threads.views.access.post_actions), so a link is
    # offered exactly when the view behind it would accept it. No method here queries.

    @property
    def is_ic(self):
        return self.kind == self.Kind.IN_CHARACTER

    @property
    def is_narration(self):
        return self.kind == self.Kind.NARRATION

    @property
    def is_ooc(self):
        return self.kind == self.Kind.OUT_OF_CHARACTER

    @property
    def is_skip(self):
        return self.kind == self.Kind.SKIP

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def is_rejected(self):
        return self.status == self.Status.REJECTED

    @property
    def is_withdrawn(self):
        return self.status == self.Status.WITHDRAWN

    @property
    def is_removed(self):
        return self.status == self.Status.REMOVED

    def editable_by(self, user, membership):
        """Whether ``user`` may edit this post: its writer, still an active member of the
        story (``membership``: theirs in this post's story, or None), and a post with text
        that is still in the scene. The same rule as writing.posting.edit_post."""
        return (
            user.is_authenticated
            and self.author_id == user.pk
            and membership is not None
            and not self.is_skip
            and not self.is_withdrawn
            and not self.is_removed
        )

    def history_visible_to(self, membership):
        """Whether the story's member (``membership``, or None) may read the post's edits."""
        return membership is not None and not self.is_skip

    def reportable_by(self, user):
        """Whether ``user`` may report this post to the moderators: any signed-in reader but
        its writer, and a skip has no text to report."""
        return user.is_authenticated and self.author_id != user.pk and not self.is_skip

    def pending_edit(self):
        """The edit of this post awaiting approval, or None (RevisionQuerySet.pending_edits)."""
        return Revision.objects.pending_edits().filter(post=self).first()


class RevisionQuerySet(models.QuerySet):
    def pending_edits(self):
        """Edits awaiting a moderator's decision: pending revisions of approved posts, each
        its post's newest revision. An older pending one was superseded by a newer edit,
        and one of a post that is no longer approved has nothing left to replace, so
        neither waits for anyone."""
        newer = Revision.objects.filter(post=OuterRef("post"), number__gt=OuterRef("number"))
        return self.filter(
            status=Revision.Status.PENDING, post__status=Post.Status.APPROVED
        ).exclude(Exists(newer))


class Revision(markup.RendersMarkdown, models.Model):
    """One version of a post's text. The first is the text as posted; each edit adds one.

    An edit by an untrusted writer to an approved post waits as a pending revision: the
    approved text stays on the post, and public, until a moderator approves the edit.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True, editable=False)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = RevisionQuerySet.as_manager()

    rendered_fields = {"body": "body_html"}

    class Meta:
        ordering = ["post", "number"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="revision_number_unique"),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"Revision {self.number} of {self.post}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_rejected(self):
        return self.status == self.Status.REJECTED
