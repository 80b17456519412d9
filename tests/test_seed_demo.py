from io import StringIO

import pytest
from django.core.management import call_command

from threads import moderation
from threads.management import demo_text
from threads.models import Character, Post, Scene, Story, User
from threads.writing import turns

pytestmark = pytest.mark.django_db

# The scene of the demo held at its reading frontier: the last published post, Kofi's turn
# waiting for a moderator, and Ines's answer to it.
BEFORE_KOFI = "a gull complained about something"
KOFI = "Corwin slid off the desk"
INES_ANSWER = "Tamsin watched him from the window"


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return (
        User.objects.count(),
        Story.objects.count(),
        Character.objects.count(),
        Post.objects.count(),
        Story.objects.get(title=demo_text.STORY["title"]).word_count,
    )


def test_demo_archive_loads_a_whole_story(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    output = seed()
    story = Story.objects.get(title=demo_text.STORY["title"])
    assert story.chapters.published().count() == 2
    assert sum(chapter.scenes.count() for chapter in story.chapters.all()) == 3
    assert 25 <= Post.objects.filter(scene__chapter__story=story).approved().count() <= 35
    assert Post.objects.filter(status=Post.Status.PENDING).exists()
    assert all(character.portrait for character in Character.objects.all())
    assert story.tags.count() >= 3
    readers_posts = Post.objects.for_readers().filter(scene__chapter__story=story)
    assert story.word_count == sum(p.word_count for p in readers_posts)
    assert "ines" in output and "kofi" in output and "quill" in output
    assert User.objects.get(username="quill").has_perm("threads.moderate_post")


def test_the_demo_writer_can_post_at_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed()
    ines = User.objects.get(username="ines")
    open_scenes = Scene.objects.filter(is_open=True)
    assert any(ines in turns.writers_up(turns.turn_state(scene)) for scene in open_scenes)


def test_loading_twice_changes_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed()
    before = snapshot()
    assert "already loaded" in seed()
    assert snapshot() == before


def test_the_demo_holds_an_answer_behind_a_pending_turn(client, settings, tmp_path):
    # Kofi's turn waits for a moderator and Ines (trusted) has answered it: readers of
    # chapter 1 see the scene stop before Kofi's post; Ines sees her answer marked held.
    settings.MEDIA_ROOT = tmp_path
    seed()
    chapter = Story.objects.get(title=demo_text.STORY["title"]).chapters.get(number=1)
    reader_page = client.get(chapter.get_absolute_url()).content.decode()
    assert BEFORE_KOFI in reader_page
    assert KOFI not in reader_page
    assert INES_ANSWER not in reader_page

    client.force_login(User.objects.get(username="ines"))
    scene_page = client.get(chapter.scenes.get(position=2).get_absolute_url()).content.decode()
    assert KOFI in scene_page
    assert INES_ANSWER in scene_page
    assert scene_page.count("Readers do not see this yet") == 1


def test_approving_the_demos_pending_turn_publishes_the_answer_after_it(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed()
    pending = Post.objects.get(scene__chapter__number=1, scene__position=2, status="pending")
    moderation.approve(pending, User.objects.get(username="quill"))
    html = client.get(pending.scene.chapter.get_absolute_url()).content.decode()
    assert html.index(BEFORE_KOFI) < html.index(KOFI) < html.index(INES_ANSWER)
