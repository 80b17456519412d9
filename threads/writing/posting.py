"""Writing in a scene: submitting a turn, editing, withdrawing and skipping.

Each function is one transaction (threads.lib.locking). Submitting and skipping lock the scene
row, read whose turn it is, and assign the next post number, so two writers racing for one
turn cannot both win; the unique (scene, number) constraint is the last line of defence.
Refusals raise ``PostingError`` (or its ``TurnError``) with a message written for the writer.

Revisions: every version of a post's text is a Revision. Only an edit that waits for a
moderator while the approved text stays public has status *pending*; every other revision is
*approved*, meaning "this became the post's text" (the post's own status says whether readers
see it). Only a post's latest revision can be pending: a new revision turns any older pending
one into *rejected* (superseded), so no edit is left waiting where no moderator sees it.
"""

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from threads.discovery import indexing
from threads.lib.emails import send_after_commit
from threads.lib.locking import run_in_transaction
from threads.models import Character, Post, Revision, Scene, User, generations
from threads.moderation import needs_review
from threads.writing import frontier, turns

RACE_MESSAGE = (
    "Another post reached this scene at the same moment as yours: check whose turn it is now."
)
ANSWERED_MESSAGE = (
    "The scene has moved on since this post was rejected: bringing it back now would put it "
    "out of turn. Post your text as a new post when it is your turn."
)


class PostingError(Exception):
    """A post, edit, withdrawal or skip was refused. ``str(error)`` is for the writer."""


class TurnError(PostingError):
    """Refused because of the turn or the scene's state, which may have changed since the
    writer loaded the page."""


def check_body(body: str) -> None:
    """Refuse an empty body or one over settings.RP_MAX_POST_LENGTH."""
    if not body or not body.strip():
        raise PostingError("Write something before posting.")
    limit = settings.RP_MAX_POST_LENGTH
    if len(body) > limit:
        raise PostingError(
            f"Your post is {len(body):,} characters long; the limit is {limit:,}. "
            "Shorten it or split it into two posts."
        )


def submit_post(
    scene: Scene, author: User, kind: str, character: Character | None, body: str
) -> Post:
    """Post a turn (in character), narration or an OOC note in ``scene``."""
    if kind not in (Post.Kind.IN_CHARACTER, Post.Kind.NARRATION, Post.Kind.OUT_OF_CHARACTER):
        raise PostingError("That kind of post cannot be written here.")
    if kind != Post.Kind.IN_CHARACTER:
        character = None
    check_body(body)
    return _in_transaction(_submit, scene.pk, author, kind, character, body)


def skip_turn(scene: Scene, user: User, expected_character_id: int | None = None) -> Post:
    """Record that the character up has been skipped (owners and narrators only).

    ``expected_character_id`` is the character the writer saw as up: if the turn has moved
    on since, nothing is skipped, so nobody's turn is skipped by mistake.
    """
    return _in_transaction(_skip, scene.pk, user, expected_character_id)


def skip_for_site(before: turns.TurnState, author: User) -> Post:
    """Skip the turn of the character up in ``before`` in the site's name (a turn deadline,
    threads.writing.deadlines), and tell the next writer. No membership check: the caller
    runs in a transaction, holds the scene's lock, and read ``before`` under it."""
    character = before.next_up.character
    post = _create_post(before.scene, author, Post.Kind.SKIP, character, "", Post.Status.APPROVED)
    _notify_if_turn_passed(before, post)
    return post


def edit_post(post: Post, editor: User, body: str) -> Revision | None:
    """Save a new version of a post's text; None when nothing changed. The revision's
    ``post`` is the post as saved (its new status, say), not the ``post`` passed in.

    - approved post, writer who needs review: a pending revision; the approved text stays
      on the post, and public, until a moderator approves the edit;
    - approved post, trusted writer: the post changes at once, and its counts with it;
    - rejected post: resubmitted, pending again, if ``resubmit_refusal`` allows it;
    - pending post: the waiting text is replaced.

    Any older edit still awaiting approval is superseded (rejected) by the new revision.
    """
    check_body(body)
    return _in_transaction(_edit, post.pk, editor, body)


def withdraw_post(post: Post, user: User) -> Post:
    """Withdraw the author's own latest post in its scene, which gives the turn back."""
    return _in_transaction(_withdraw, post.pk, user)


def current_text(post: Post) -> str:
    """The text an author edits from: their edit awaiting approval if there is one, else the
    post's own text."""
    waiting = post.pending_edit()
    return waiting.body if waiting is not None else post.body


def withdrawable(post: Post) -> bool:
    """Whether the post is live and nothing but OOC chatter came after it: withdrawing it
    then cleanly gives the turn back."""
    return post.status in turns.LIVE_STATUSES and not turns.is_answered(post)


def resubmit_refusal(post: Post, editor: User) -> str | None:
    """Why saving an edit of this rejected (or hidden) post may not resubmit it now, or None.

    Resubmitting makes the post live again at its own number. A post nobody answered is
    posted again as if now: its writer must be allowed to post that kind of post now
    (``turns.refusal``: the scene is open, they still write in the story, an in-character
    post's character takes part and is up). A turn that others answered comes back in
    place (``turns.in_place_refusal``), unless its own turn was taken again since; readers
    stay held at it (the reading frontier) until a moderator approves it.
    """
    state = turns.turn_state(post.scene)
    membership = post.scene.chapter.story.membership_of(editor)
    if state.takes_turn(post.kind) and turns.is_answered(post):
        reason = turns.in_place_refusal(state, editor, membership, post)
    else:
        reason = turns.refusal(state, editor, membership, post.kind, post.character)
    return f"Your post cannot be resubmitted now. {reason}" if reason else None


def _in_transaction(function, *args):
    """Run ``function`` in its own transaction, run again while SQLite reports the database
    locked, so it reads the turn afresh. A broken unique constraint means another post took
    the number first."""
    return run_in_transaction(function, *args, error=TurnError, integrity_message=RACE_MESSAGE)


# No threads.lib.locking.take_write_lock here, unlike moderation: on SQLite that would hold the
# scene table while the turn is read, and the shared-cache test database then refuses every
# scene page meanwhile. A clash at the first write is retried whole by _in_transaction.


def _lock_scene(scene_id: int) -> Scene:
    # of=("self",): lock the scene only, not its chapter and story, so posts in other
    # scenes of the same story go on in parallel.
    scenes = Scene.objects.select_for_update(of=("self",)).select_related("chapter__story")
    return scenes.get(pk=scene_id)


def _lock_post(post_id: int) -> Post:
    posts = Post.objects.select_for_update(of=("self",)).select_related("scene__chapter__story")
    return posts.get(pk=post_id)


def _submit(scene_id, author, kind, character, body):
    scene = _lock_scene(scene_id)
    before = turns.turn_state(scene)
    membership = scene.chapter.story.membership_of(author)
    reason = turns.refusal(before, author, membership, kind, character)
    if reason:
        raise TurnError(reason)
    status = Post.Status.PENDING if needs_review(author) else Post.Status.APPROVED
    post = _create_post(scene, author, kind, character, body, status)
    _notify_if_turn_passed(before, post)
    return post


def _skip(scene_id, user, expected_character_id):
    scene = _lock_scene(scene_id)
    before = turns.turn_state(scene)
    reason = turns.skip_refusal(before, user, scene.chapter.story.membership_of(user))
    if reason:
        raise TurnError(reason)
    up = before.next_up
    if expected_character_id is not None and up.character_id != expected_character_id:
        raise TurnError(
            f"The turn has moved on: it is now {up.character.name}'s turn. Nothing was skipped."
        )
    post = _create_post(scene, user, Post.Kind.SKIP, up.character, "", Post.Status.APPROVED)
    _notify_if_turn_passed(before, post)
    return post


def _create_post(scene, author, kind, character, body, status):
    now = timezone.now()
    post = Post.objects.create(
        scene=scene,
        number=_next_number(scene),
        author=author,
        character=character,
        kind=kind,
        body=body,
        status=status,
        created_at=now,
        approved_at=now if status == Post.Status.APPROVED else None,
    )
    Revision.objects.create(post=post, number=1, body=body, editor=author, created_at=now)
    frontier.refresh(scene.pk, now)
    Scene.objects.filter(pk=scene.pk).update(last_post_at=now)
    return post


def _next_number(scene):
    # Withdrawn posts keep their numbers: numbers are never reused, so links stay right.
    return (Post.objects.filter(scene=scene).aggregate(last=Max("number"))["last"] or 0) + 1


def _edit(post_id, editor, body):
    post = _lock_post(post_id)
    _check_may_edit(post, editor)
    if body == current_text(post):
        return None
    if post.status == Post.Status.REJECTED:
        # The post, then its scene: the same order as withdrawing. The turn is read under
        # the scene's lock, so a post racing this resubmission cannot both take the turn.
        _lock_scene(post.scene_id)
        reason = resubmit_refusal(post, editor)
        if reason:
            raise TurnError(reason)
    now = timezone.now()
    number = (post.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
    # Superseded: only the newest edit waits for a moderator.
    post.revisions.filter(status=Revision.Status.PENDING).update(status=Revision.Status.REJECTED)
    if post.status == Post.Status.APPROVED and needs_review(editor):
        return Revision.objects.create(
            post=post, number=number, body=body, editor=editor, status=Revision.Status.PENDING
        )
    old_words = post.word_count
    post.body, post.edited_at = body, now
    fields = ["body", "edited_at"]
    if post.status == Post.Status.REJECTED:
        # A moderator turned it down, so the new text waits for one, whoever wrote it.
        post.status = Post.Status.PENDING
        fields.append("status")
    post.save(update_fields=fields)
    indexing.index_posts([post.pk])  # readers' search finds the new text
    generations.bump_scene_story(post.scene_id)  # and readers' cached pages
    if post.counts_in_story and post.word_count != old_words:
        frontier.shift_counts(post.scene_id, post.word_count - old_words)
    if "status" in fields:
        frontier.refresh(post.scene_id, now)  # back to pending: readers are held at it
    return Revision.objects.create(post=post, number=number, body=body, editor=editor)


def _check_may_edit(post, editor):
    if post.author_id != editor.pk:
        raise PostingError("Only the writer of a post can edit it.")
    if editor.is_suspended:
        raise PostingError(turns.suspension_message(editor))
    if post.kind == Post.Kind.SKIP or post.status == Post.Status.WITHDRAWN:
        raise PostingError("This post can no longer be edited.")
    if post.scene.chapter.story.membership_of(editor) is None:
        raise PostingError("Only the story's writers can edit their posts.")


def _withdraw(post_id, user):
    # The post first, then its scene: the same order as moderation decisions (post, then
    # the scene's counts), so the two never wait on each other in a circle.
    post = _lock_post(post_id)
    _lock_scene(post.scene_id)
    if post.author_id != user.pk:
        raise PostingError("Only the writer of a post can withdraw it.")
    if not withdrawable(post):
        raise TurnError(
            "Only your latest post in the scene can be withdrawn, before anyone answers it."
        )
    post.status = Post.Status.WITHDRAWN
    post.save(update_fields=["status"])
    frontier.refresh(post.scene_id)
    return post


def _notify_if_turn_passed(before: turns.TurnState, post: Post) -> None:
    """E-mail each writer who is up now and was not before: one e-mail per passing turn,
    never to the writer who just posted. Queued for after the commit."""
    if not before.takes_turn(post.kind):
        return
    after = turns.turn_state(before.scene)
    already_up = {writer.pk for writer in turns.writers_up(before)}
    for writer in turns.writers_up(after):
        if writer.pk in already_up or writer.pk == post.author_id:
            continue
        if writer.notify_on_turn and not writer.is_suspended:
            send_after_commit(writer, "your_turn", _turn_email_context(after, post))


def _turn_email_context(state: turns.TurnState, post: Post) -> dict:
    scene = state.scene
    up = state.next_up
    return {
        "post": post,
        "scene": scene,
        "chapter": scene.chapter,
        "story": scene.chapter.story,
        "character_up": up.character if up else None,
        "scene_url": settings.SITE_URL + scene.get_absolute_url(),
        "preferences_url": settings.SITE_URL + reverse("preferences"),
    }
