"""Tags: the tag index and tag pages, suggestions, tags on characters, and wrangling (a synonym
and its canonical tag are one tag to readers; merging keeps every tagging and is recorded)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from tests.factories import make_chapter, make_character, make_scene, make_story, make_user
from tests.uncached import without_page_cache  # noqa: F401 - autouse
from threads.discovery import tags as wrangling
from threads.models import Story, TagDecision, TagInfo


def readable(title, tags, owner=None, **fields):
    story = make_story(owner=owner, title=title, tags=tags, **fields)
    make_chapter(story)
    return story


def titles(response):
    return [story.title for story in response.context["stories"]]


@pytest.fixture
def wrangled(moderator):
    """ "Found family" is canonical; "found fam" is its synonym (not merged yet)."""
    readable("Harbour Lights", ["found family"])
    readable("Night Ferry", ["found fam"])
    canonical, synonym = Tag.objects.get(name="found family"), Tag.objects.get(name="found fam")
    wrangling.mark_canonical(canonical, moderator)
    wrangling.make_synonym(synonym, canonical, moderator, merge=False)
    return canonical, synonym


# Tag pages -------------------------------------------------------------------------------


def test_a_tag_page_lists_its_readable_stories_and_characters(client, cast):
    cast.story.tags.add("sea")
    cast.aleksei.tags.add("sea")
    readable("Harbour Lights", ["sea"])
    readable("Ember Court", ["court"])
    response = client.get(reverse("tag_detail", args=["sea"]))
    assert sorted(titles(response)) == ["Harbour Lights", "The Lantern Road"]
    assert [c.name for c in response.context["characters"]] == ["Aleksei Varga"]
    assert "2 stories." in response.content.decode()


def test_a_tag_page_is_paginated(client, db):
    for n in range(23):
        readable(f"Sea story {n}", ["sea"])
    first = client.get(reverse("tag_detail", args=["sea"]))
    assert len(titles(first)) == 20
    second = client.get(reverse("tag_detail", args=["sea"]), {"page": 2})
    assert len(titles(second)) == 3


def test_an_unknown_tag_is_not_found(client, db):
    assert client.get(reverse("tag_detail", args=["no-such-tag"])).status_code == 404


def test_the_tag_index_sizes_tags_by_use(client, db):
    for n in range(8):
        readable(f"Sea story {n}", ["sea", "boats"] if n < 3 else ["sea"])
    readable("Ember Court", ["court"])
    cloud = {item.tag.name: item for item in client.get(reverse("tag_index")).context["cloud"]}
    assert {name: item.count for name, item in cloud.items()} == {"sea": 8, "boats": 3, "court": 1}
    assert cloud["sea"].bucket == 5 and cloud["court"].bucket == 1
    assert 1 < cloud["boats"].bucket < 5
    page = client.get(reverse("tag_index")).content.decode()
    assert 'class="tag-size-5"><a href="/tags/sea/"' in page
    assert "style=" not in page.split("<main", 1)[1]


def test_suggestions_are_bounded_and_start_with_what_was_typed(client, db):
    for n in range(15):
        readable(f"Story {n}", [f"sea {n:02}", "harbour"])
    names = client.get(reverse("tag_suggest"), {"q": "se"}).json()["tags"]
    assert len(names) == wrangling.SUGGESTIONS
    assert all(name.startswith("sea") for name in names)
    assert client.get(reverse("tag_suggest"), {"q": ""}).json() == {"tags": []}


def test_suggestions_offer_the_canonical_tag_not_its_synonym(client, wrangled):
    assert client.get(reverse("tag_suggest"), {"q": "found"}).json() == {"tags": ["found family"]}


# Tags on characters and in the forms ----------------------------------------------------


def test_a_writer_tags_a_character_and_readers_see_the_tags(client, cast):
    client.force_login(cast.mira)
    data = {"name": "Aleksei Varga", "tagline": "", "description": "", "tags": "knight, exile"}
    url = reverse("character_edit", args=[cast.aleksei.slug])
    assert client.post(url, data).status_code == 302
    assert sorted(cast.aleksei.tags.names()) == ["exile", "knight"]
    page = client.get(cast.aleksei.get_absolute_url()).content.decode()
    assert 'href="/tags/knight/"' in page


def test_too_many_character_tags_are_refused_and_nothing_changes(client, cast):
    client.force_login(cast.mira)
    many = ", ".join(f"tag {n}" for n in range(21))
    data = {"name": "Aleksei Varga", "tags": many}
    response = client.post(reverse("character_edit", args=[cast.aleksei.slug]), data)
    assert response.status_code == 400
    assert "At most 20 tags" in response.content.decode()
    assert list(cast.aleksei.tags.names()) == []


def test_the_tag_inputs_ask_for_suggestions_and_work_as_plain_text(client, cast):
    client.force_login(cast.mira)
    for url in [
        reverse("story_edit", args=[cast.story.slug]),
        reverse("character_edit", args=[cast.aleksei.slug]),
    ]:
        page = client.get(url).content.decode()
        assert 'name="tags"' in page and "data-tag-suggest" in page
        assert "js/tag-suggest.js" in page


# Wrangling ------------------------------------------------------------------------------


def test_a_synonym_finds_the_canonical_tags_stories_and_back(client, wrangled):
    both = ["Harbour Lights", "Night Ferry"]
    for asked in ["found family", "found fam", "found-family", "found-fam"]:
        assert sorted(titles(client.get(reverse("story_list"), {"tag": asked}))) == both


def test_several_tags_asked_for_each_bring_their_synonyms(client, wrangled):
    readable("Ember Court", ["found fam", "court"])
    readable("Salt Court", ["court"])
    asked = {"tag": "Found Family, court, never-used"}
    assert titles(client.get(reverse("story_list"), asked)) == []  # no story has the third
    asked = {"tag": "found-family, Court", "exclude_tag": "never-used"}
    assert titles(client.get(reverse("story_list"), asked)) == ["Ember Court"]
    asked = {"tag": "court", "exclude_tag": "found family"}
    assert titles(client.get(reverse("story_list"), asked)) == ["Salt Court"]


def test_tags_are_looked_up_in_two_queries_however_many_are_named(
    wrangled, django_assert_num_queries
):
    canonical, synonym = wrangled
    names = ["found fam", "Found-Family", "nothing like it", *[f"n{i}" for i in range(8)]]
    with django_assert_num_queries(2):
        meant = wrangling.equivalent_ids_by_name(names)
    both = sorted([canonical.pk, synonym.pk])
    assert meant == {"found fam": both, "Found-Family": both}


def test_excluding_a_synonym_excludes_the_canonical_tags_stories(client, wrangled):
    readable("Ember Court", ["court"])
    response = client.get(reverse("story_list"), {"exclude_tag": "found fam"})
    assert titles(response) == ["Ember Court"]


def test_a_synonyms_page_redirects_to_its_canonical_tag_which_lists_both(client, wrangled):
    response = client.get(reverse("tag_detail", args=["found-fam"]))
    assert response.status_code == 301
    assert response.url == reverse("tag_detail", args=["found-family"])
    page = client.get(response.url)
    assert sorted(titles(page)) == ["Harbour Lights", "Night Ferry"]


def test_the_tag_feed_of_either_tag_carries_both_stories(client, wrangled):
    for slug in ["found-family", "found-fam"]:
        feed = client.get(reverse("feed_tag", args=[slug])).content.decode()
        assert "Harbour Lights" in feed and "Night Ferry" in feed


def test_the_tag_index_counts_a_synonyms_stories_under_its_canonical_tag(client, wrangled):
    cloud = client.get(reverse("tag_index")).context["cloud"]
    assert [(item.tag.name, item.count) for item in cloud] == [("found family", 2)]


def test_a_merge_keeps_every_tagging_and_is_recorded(moderator, wrangled):
    canonical, synonym = wrangled
    both = readable("Both Ways", ["found family", "found fam"])
    character = make_character(name="Wren")
    character.tags.add(synonym)
    decision = wrangling.merge_synonym(synonym, moderator, "One tag.")
    assert not TaggedItem.objects.filter(tag=synonym).exists()
    tagged_stories = Story.objects.filter(tags=canonical).order_by("title")
    assert [s.title for s in tagged_stories] == ["Both Ways", "Harbour Lights", "Night Ferry"]
    assert list(both.tags.names()) == ["found family"]
    assert list(character.tags.names()) == ["found family"]
    assert decision.action == TagDecision.Action.MERGE
    assert (decision.moderator, decision.tag, decision.target) == (moderator, synonym, canonical)
    assert decision.taggings_moved == 3 and decision.reason == "One tag."


def test_a_merge_that_fails_midway_changes_nothing(moderator, wrangled, monkeypatch):
    _, synonym = wrangled
    boom = RuntimeError("the database went away")
    monkeypatch.setattr(wrangling, "_record", lambda *args, **kwargs: (_ for _ in ()).throw(boom))
    with pytest.raises(RuntimeError):
        wrangling.merge_synonym(synonym, moderator)
    assert TaggedItem.objects.filter(tag=synonym).count() == 1


def test_a_tag_cannot_be_made_a_synonym_of_a_tag_that_is_not_canonical(moderator, db):
    readable("Harbour Lights", ["sea", "ocean"])
    sea, ocean = Tag.objects.get(name="sea"), Tag.objects.get(name="ocean")
    with pytest.raises(wrangling.WranglingError):
        wrangling.make_synonym(sea, ocean, moderator)
    assert not TagInfo.objects.filter(synonym_of__isnull=False).exists()
    assert not TagDecision.objects.exists()
    assert TaggedItem.objects.filter(tag=sea).count() == 1


def test_a_synonyms_own_synonyms_follow_it_to_the_new_canonical_tag(moderator, wrangled):
    canonical, synonym = wrangled
    readable("Kin", ["chosen kin"])
    kin = Tag.objects.get(name="chosen kin")
    wrangling.mark_canonical(kin, moderator)
    wrangling.make_synonym(canonical, kin, moderator)
    assert TagInfo.objects.get(tag=synonym).synonym_of == kin
    assert sorted(
        s.title for s in wrangling.stories_tagged(None, wrangling.equivalent_ids(kin))
    ) == [
        "Harbour Lights",
        "Kin",
        "Night Ferry",
    ]


def test_a_canonical_tag_with_synonyms_stays_canonical(moderator, wrangled):
    canonical, _ = wrangled
    with pytest.raises(wrangling.WranglingError):
        wrangling.unmark_canonical(canonical, moderator)
    assert TagInfo.objects.get(tag=canonical).canonical


# Wrangling in the admin -----------------------------------------------------------------


def _changelist():
    return reverse("admin:threads_wrangledtag_changelist")


def test_a_moderator_makes_a_synonym_in_the_admin_and_its_stories_are_retagged(client, moderator):
    readable("Harbour Lights", ["found family"])
    readable("Night Ferry", ["found fam"])
    canonical, synonym = Tag.objects.get(name="found family"), Tag.objects.get(name="found fam")
    client.force_login(moderator)
    client.post(_changelist(), {"action": "mark_canonical", ACTION_CHECKBOX_NAME: [canonical.pk]})
    asked = {"action": "make_synonym", ACTION_CHECKBOX_NAME: [synonym.pk]}
    page = client.post(_changelist(), asked)
    assert "Make synonyms of a canonical tag" in page.content.decode()
    response = client.post(_changelist(), {**asked, "apply": "yes", "canonical": canonical.pk})
    assert response.status_code == 302
    assert TagInfo.objects.get(tag=synonym).synonym_of == canonical
    assert list(Story.objects.get(title="Night Ferry").tags.names()) == ["found family"]
    actions = list(TagDecision.objects.order_by("pk").values_list("action", "moderator"))
    assert actions == [
        ("canonical", moderator.pk),
        ("synonym", moderator.pk),
        ("merge", moderator.pk),
    ]
    assert client.get(reverse("admin:threads_tagdecision_changelist")).status_code == 200


@pytest.mark.parametrize("who", ["viewer", "staff", "writer"])
def test_only_wranglers_may_wrangle(client, who, db):
    """A staff member who may only look at tags, staff without it, and a writer."""
    readable("Harbour Lights", ["sea"])
    sea = Tag.objects.get(name="sea")
    user = make_user(who, is_staff=(who != "writer"))
    if who == "viewer":
        user.user_permissions.add(Permission.objects.get(codename="view_wrangledtag"))
    client.force_login(user)
    if who == "viewer":  # the list opens; only the decision is refused
        assert client.get(_changelist()).status_code == 200
    client.post(_changelist(), {"action": "mark_canonical", ACTION_CHECKBOX_NAME: [sea.pk]})
    assert not TagInfo.objects.filter(canonical=True).exists()
    assert not TagDecision.objects.exists()


def test_tag_pages_keep_to_a_fixed_number_of_queries(client, django_assert_max_num_queries, cast):
    def grow(n):
        for i in range(n):
            story = readable(f"Sea {i}-{n}", ["sea", f"extra {i}-{n}"], owner=cast.mira)
            character = make_character(cast.mira, name=f"Sailor {i}-{n}")
            character.tags.add("sea")
            make_scene(story.chapters.first(), [character])

    for size in (2, 12):
        grow(size)
        # One more for the page cache's generation (threads/views/pagecache.py), and one
        # for the tag's synonyms.
        with django_assert_max_num_queries(8):
            client.get(reverse("tag_detail", args=["sea"]))
        with django_assert_max_num_queries(4):
            client.get(reverse("tag_index"))
        with django_assert_max_num_queries(2):
            client.get(reverse("tag_suggest"), {"q": "ex"})
    assert ContentType.objects.get_for_model(Story)  # cached, so it cost nothing above
