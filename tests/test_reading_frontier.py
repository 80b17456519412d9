"""The reading frontier: readers see each scene up to its first post that waits for a
decision or was rejected, never a reply to a post they cannot see. Through the real posting
and moderation paths: Teo is not trusted, so his posts wait; Mira is trusted."""

import pytest

from tests.factories import make_narrator, make_scene
from threads import moderation
from threads.models import Post, Scene, Story
from threads.writing import frontier, posting


@pytest.fixture
def game(cast):
    """Mira is trusted; Aleksei (Mira) then Lucia (Teo) in round robin."""
    cast.mira.is_trusted = True
    cast.mira.save(update_fields=["is_trusted"])
    return cast


def post(game, who, body, kind=Post.Kind.IN_CHARACTER, scene=None):
    writer, character = {"mira": (game.mira, game.aleksei), "teo": (game.teo, game.lucia)}[who]
    if kind != Post.Kind.IN_CHARACTER:
        character = None
    return posting.submit_post(scene or game.scene, writer, kind, character, body)


def reader_bodies(scene):
    """What an anonymous reader sees of the scene, in order."""
    return list(
        Post.objects.filter(scene=scene)
        .for_readers()
        .order_by("number")
        .values_list("body", flat=True)
    )


def chapter_page(client, game):
    client.logout()
    return client.get(game.chapter.get_absolute_url()).content.decode()


def test_a_trusted_reply_to_a_pending_post_waits_behind_it(game, moderator, client):
    post(game, "mira", "Aleksei lit the lantern.")
    waiting = post(game, "teo", "Lucia answered from the ford.")
    post(game, "mira", "Aleksei waved her over.")
    assert reader_bodies(game.scene) == ["Aleksei lit the lantern."]
    page = chapter_page(client, game)
    assert "Aleksei waved her over." not in page and "Lucia answered" not in page

    moderation.approve(waiting, moderator)
    assert reader_bodies(game.scene) == [
        "Aleksei lit the lantern.",
        "Lucia answered from the ford.",
        "Aleksei waved her over.",
    ]
    page = chapter_page(client, game)
    assert page.index("Lucia answered") < page.index("Aleksei waved her over.")


def test_members_see_the_held_posts_marked_for_readers_not_yet(game, client):
    post(game, "mira", "Aleksei lit the lantern.")
    post(game, "teo", "Lucia answered from the ford.")
    post(game, "mira", "Aleksei waved her over.")
    client.force_login(game.teo)
    page = client.get(game.scene.get_absolute_url()).content.decode()
    assert "Aleksei waved her over." in page
    assert "Readers do not see this yet" in page


def test_word_counts_and_last_updated_follow_the_frontier(game, moderator):
    first = post(game, "mira", "One two three.")
    story_after_first = Story.objects.get(pk=game.story.pk)
    waiting = post(game, "teo", "Four five.")
    post(game, "mira", "Six seven eight nine.")
    story = Story.objects.get(pk=game.story.pk)
    assert (story.word_count, story.updated_at) == (3, story_after_first.updated_at)
    assert Scene.objects.get(pk=game.scene.pk).word_count == 3

    moderation.approve(waiting, moderator)
    story = Story.objects.get(pk=game.story.pk)
    assert story.word_count == 9
    assert story.updated_at > story_after_first.updated_at >= first.created_at
    published = Post.objects.filter(scene=game.scene).values_list("published_at", flat=True)
    assert len(set(published)) == 2  # the first post, then the two published together


def test_a_rejected_and_answered_post_holds_the_scene_until_resubmitted_and_approved(
    game, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    post(game, "mira", "Aleksei lit the lantern.")
    waiting = post(game, "teo", "Lucia answered too sharply.")
    post(game, "mira", "Aleksei frowned.")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.reject(waiting, moderator, "Please soften the language.")
    assert reader_bodies(game.scene) == ["Aleksei lit the lantern."]
    assert "resubmitted in place, as #2" in mailoutbox[-1].body

    posting.edit_post(waiting, game.teo, "Lucia answered gently.")
    waiting.refresh_from_db()
    assert (waiting.status, waiting.number) == (Post.Status.PENDING, 2)
    assert reader_bodies(game.scene) == ["Aleksei lit the lantern."]

    moderation.approve(waiting, moderator)
    assert reader_bodies(game.scene) == [
        "Aleksei lit the lantern.",
        "Lucia answered gently.",
        "Aleksei frowned.",
    ]


def test_removing_a_post_moves_the_frontier_past_it(game, moderator):
    post(game, "mira", "Aleksei lit the lantern.")
    spam = post(game, "teo", "Buy cheap lanterns here.")
    post(game, "mira", "Aleksei looked at the river.")
    moderation.remove(spam, moderator, "Spam.")
    spam.refresh_from_db()
    assert spam.status == Post.Status.REMOVED and spam.moderation_reason == "Spam."
    assert reader_bodies(game.scene) == [
        "Aleksei lit the lantern.",
        "Aleksei looked at the river.",
    ]
    assert Story.objects.get(pk=game.story.pk).word_count == 9


def test_removal_needs_a_reason_and_changes_nothing_without_one(game, moderator):
    post(game, "mira", "Aleksei lit the lantern.")
    spam = post(game, "teo", "Buy cheap lanterns here.")
    with pytest.raises(moderation.ModerationError):
        moderation.remove(spam, moderator, "  ")
    spam.refresh_from_db()
    assert spam.status == Post.Status.PENDING


def test_ooc_notes_and_skips_never_hold_the_frontier(game):
    note = post(game, "teo", "Back tomorrow!", kind=Post.Kind.OUT_OF_CHARACTER)
    assert note.status == Post.Status.PENDING
    post(game, "mira", "Aleksei lit the lantern.")
    skip = posting.skip_turn(game.scene, game.mira)  # Lucia is skipped
    post(game, "mira", "Aleksei went on alone.")
    skip.refresh_from_db()
    note.refresh_from_db()
    assert skip.is_published and not note.is_published
    assert reader_bodies(game.scene) == ["Aleksei lit the lantern.", "Aleksei went on alone."]


def test_pending_narration_holds_the_frontier(game, moderator):
    narrator = make_narrator(game.story)
    scene = make_scene(game.chapter, characters=[game.aleksei], turn_mode="free")
    told = posting.submit_post(scene, narrator, Post.Kind.NARRATION, None, "Night fell.")
    after = posting.submit_post(scene, game.mira, Post.Kind.IN_CHARACTER, game.aleksei, "Lit.")
    assert told.status == Post.Status.PENDING and after.status == Post.Status.APPROVED
    assert reader_bodies(scene) == []
    moderation.approve(told, moderator)
    assert reader_bodies(scene) == ["Night fell.", "Lit."]


def test_each_scene_has_its_own_frontier(game, moderator):
    other = make_scene(game.chapter, characters=[game.aleksei, game.lucia])
    post(game, "mira", "Read in the first scene.")
    post(game, "teo", "Held in the first scene.")
    post(game, "mira", "Also held.")
    post(game, "mira", "Free to read in the second.", scene=other)
    assert reader_bodies(game.scene) == ["Read in the first scene."]
    assert reader_bodies(other) == ["Free to read in the second."]


def test_hiding_an_approved_post_holds_back_what_came_after(game, moderator):
    post(game, "mira", "Aleksei lit the lantern.")
    answered = post(game, "teo", "Lucia answered.")
    moderation.approve(answered, moderator)
    post(game, "mira", "Aleksei smiled.")
    moderation.hide(answered, moderator, "Reported: wrong rating.")
    assert reader_bodies(game.scene) == ["Aleksei lit the lantern."]
    assert Story.objects.get(pk=game.story.pk).word_count == 4


def test_answers_counts_later_live_posts_but_not_ooc_notes(game):
    post(game, "mira", "Aleksei lit the lantern.")
    waiting = post(game, "teo", "Lucia answered.")
    post(game, "mira", "Brb.", kind=Post.Kind.OUT_OF_CHARACTER)
    assert frontier.answers(waiting) == 0
    post(game, "mira", "Aleksei waved.")
    assert frontier.answers(waiting) == 1
