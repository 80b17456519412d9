"""Story.published_chapter_count, which every list of stories filters on ("is there anything
to read?"): kept right as chapters are added, published, unpublished and deleted."""

import pytest
from django.urls import reverse

from tests.factories import make_chapter, make_post, make_scene, make_story, make_user
from threads.models import Chapter, Story
from threads.writing import structure

pytestmark = pytest.mark.django_db


def counts(story):
    row = Story.objects.get(pk=story.pk)
    return row.published_chapter_count, row.word_count


def listed(client):
    return [card.title for card in client.get(reverse("story_list")).context["page"]]


def test_the_count_follows_chapters_added_published_and_unpublished():
    story = make_story(visibility=Story.Visibility.PUBLIC)
    first = make_chapter(story)
    draft = make_chapter(story, is_published=False)
    assert counts(story)[0] == 1
    structure.add_chapter_numbered(story, 9, title="From a log", is_published=True)
    structure.add_chapter(story, number=1, title="Prologue", is_published=True)
    assert counts(story)[0] == 3
    structure.publish_chapter(draft, True)
    assert counts(story)[0] == 4
    structure.publish_chapter(first, False)
    structure.publish_chapter(first, False)  # twice changes nothing more
    assert counts(story)[0] == 3


def test_a_story_whose_last_chapter_is_unpublished_leaves_the_list(client):
    story = make_story(visibility=Story.Visibility.PUBLIC, title="Low Tide")
    chapter = make_chapter(story)
    assert listed(client) == ["Low Tide"]
    structure.publish_chapter(chapter, False)
    assert listed(client) == []
    structure.publish_chapter(chapter, True)
    assert listed(client) == ["Low Tide"]


def test_deleting_a_chapter_in_the_admin_takes_it_out_of_the_count(client):
    # The admin deletes only chapters without posts (posts are never deleted there).
    story = make_story(visibility=Story.Visibility.PUBLIC, title="Low Tide")
    kept, empty = make_chapter(story), make_chapter(story)
    make_post(make_scene(kept), body="one two")
    draft, another = make_chapter(story, is_published=False), make_chapter(story)
    assert counts(story) == (3, 2)
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    for chapter in (empty, draft):
        url = reverse("admin:threads_chapter_delete", args=[chapter.pk])
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert counts(story) == (2, 2)
    changelist = reverse("admin:threads_chapter_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [another.pk], "post": "yes"}
    assert client.post(changelist, chosen).status_code == 302
    assert list(Chapter.objects.filter(story=story)) == [kept]
    assert counts(story) == (1, 2)
    structure.publish_chapter(kept, False)
    client.logout()
    assert listed(client) == []


def test_the_migration_counts_the_chapters_already_published():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("threads.migrations.0013_story_published_chapter_count")
    story = make_story()
    for published in (True, True, False):
        make_chapter(story, is_published=published)
    Story.objects.filter(pk=story.pk).update(published_chapter_count=0)
    migration.count_published_chapters(apps, None)
    assert counts(story)[0] == 2


def test_saving_a_story_read_before_a_change_keeps_the_counts():
    story = make_story(visibility=Story.Visibility.PUBLIC)
    stale = Story.objects.get(pk=story.pk)
    make_post(make_scene(make_chapter(story)), body="three more words")
    stale.title = "Renamed"
    stale.save()
    assert counts(story) == (1, 3)
    assert Story.objects.get(pk=story.pk).title == "Renamed"
