import pytest
from django.db import IntegrityError, transaction

from tests.factories import (
    make_chapter,
    make_character,
    make_post,
    make_scene,
    make_story,
    make_user,
)
from threads.models import Chapter, Membership, Post, Scene, Story

pytestmark = pytest.mark.django_db


def test_a_post_number_is_unique_in_its_scene():
    scene = make_scene()
    post = make_post(scene)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(scene=scene, number=post.number, author=post.author, kind="narration")


def test_the_same_post_number_is_fine_in_another_scene():
    first, second = make_scene(), make_scene()
    make_post(first)
    assert make_post(second).number == 1


def test_chapter_numbers_and_scene_positions_are_unique():
    chapter = make_chapter()
    with pytest.raises(IntegrityError), transaction.atomic():
        Chapter.objects.create(story=chapter.story, number=chapter.number, title="Again")
    scene = make_scene(chapter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Scene.objects.create(chapter=chapter, position=scene.position, title="Again")


def test_an_in_character_post_needs_a_character():
    scene = make_scene()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(scene=scene, number=1, author=make_user(), kind="ic")


def test_a_story_has_only_one_owner():
    story = make_story()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(story=story, user=make_user(), role="owner", status="active")


def test_markdown_is_rendered_once_on_save():
    story = make_story(summary="A *quiet* coast")
    character = make_character(description="**Bold** and <script>x</script>")
    post = make_post(make_scene(), body="_Fog._ Two words")
    assert story.summary_html == "<p>A <em>quiet</em> coast</p>"
    assert "<strong>Bold</strong>" in character.description_html
    assert "<script" not in character.description_html
    assert post.body_html == "<p><em>Fog.</em> Two words</p>"
    assert post.word_count == 3


def test_unpublishing_a_chapter_takes_its_words_out_of_the_story():
    story = make_story()
    published = make_chapter(story)
    draft = make_chapter(story, is_published=False)
    make_post(make_scene(published), body="a b c d")
    make_post(make_scene(draft), body="e f")
    story.refresh_from_db()
    assert story.word_count == 4
    Chapter.objects.get(pk=draft.pk).set_published(True)
    story.refresh_from_db()
    assert story.word_count == 6
    Chapter.objects.get(pk=published.pk).set_published(False)
    story.refresh_from_db()
    assert story.word_count == 2


def test_slugs_are_unique_and_keep_non_latin_letters():
    first = make_story(title="Соляной фонарь")
    second = make_story(title="Соляной фонарь")
    assert first.slug == "соляной-фонарь"
    assert second.slug == "соляной-фонарь-2"
    assert make_story(title="!!!").slug == "story"


def test_reading_time_is_at_least_a_minute():
    chapter = make_chapter(word_count=0)
    assert chapter.reading_minutes == 1
    chapter.word_count = 2300
    assert chapter.reading_minutes == 10


def test_posts_in_unpublished_chapters_leave_the_story_date_alone():
    story = make_story()
    draft = make_chapter(story, is_published=False)
    before = Story.objects.get(pk=story.pk).updated_at
    make_post(make_scene(draft), body="Not out yet")
    assert Story.objects.get(pk=story.pk).updated_at == before
    Chapter.objects.get(pk=draft.pk).set_published(True)
    assert Story.objects.get(pk=story.pk).updated_at > before
