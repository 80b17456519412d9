"""Search: what it finds, how it ranks and highlights, its filters, odd queries, and that the
index follows edits. Runs on SQLite (FTS5) here and on PostgreSQL in CI."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_chapter, make_post, make_scene, make_story
from threads.discovery import indexing
from threads.discovery import search as finder
from threads.discovery.search import highlight, parse
from threads.forms.stories import StoryForm
from threads.models import Post, SearchEntry
from threads.moderation import approve_edit
from threads.writing.posting import edit_post


def search(client, q, **filters):
    response = client.get(reverse("search"), {"q": q, **filters})
    assert response.status_code == 200
    return response


def result_urls(response):
    return [result.url for result in response.context["results"]]


@pytest.fixture
def lantern(cast):
    """The Lantern Road with two posts: Aleksei's in English, Lucia's in Russian."""
    cast.ford = make_post(
        cast.scene, character=cast.aleksei, body="The lanterns swayed over the *ford*."
    )
    cast.river = make_post(cast.scene, character=cast.lucia, body="Лукия тихо ждала у реки.")
    return cast


def post_link(post):
    chapter = post.scene.chapter
    url = reverse("chapter_detail", args=[chapter.story.slug, chapter.number])
    return f"{url}#post-{post.scene_id}-{post.number}"


def test_a_word_from_a_post_finds_it_with_a_link_to_its_anchor(client, lantern):
    response = search(client, "swayed")
    assert result_urls(response) == [post_link(lantern.ford)]
    assert response.context["page"].paginator.count == 1


def test_other_forms_of_a_word_and_other_cases_match(client, lantern):
    assert post_link(lantern.ford) in result_urls(search(client, "LANTERN"))


def test_russian_text_is_found(client, lantern):
    assert result_urls(search(client, "тихо")) == [post_link(lantern.river)]


def test_a_quoted_phrase_matches_only_in_order(client, lantern):
    # Content words: PostgreSQL's English configuration drops "over" and "the" as stop words.
    assert result_urls(search(client, '"lanterns swayed"')) == [post_link(lantern.ford)]
    assert result_urls(search(client, '"swayed lanterns"')) == []


def test_a_minus_leaves_a_word_out(client, lantern):
    make_post(lantern.scene, character=lantern.aleksei, body="Lanterns, and no river.")
    urls = result_urls(search(client, "lanterns -river"))
    assert post_link(lantern.ford) in urls
    assert len([url for url in urls if "#post-" in url]) == 1


def test_story_titles_summaries_chapter_titles_and_characters_are_found(client, lantern):
    story_url = lantern.story.get_absolute_url()
    assert story_url in result_urls(search(client, "Lantern Road", kind="story"))
    indexing.index_characters([lantern.aleksei.pk])
    character_url = lantern.aleksei.get_absolute_url()
    assert result_urls(search(client, lantern.aleksei.name, kind="character")) == [character_url]
    make_chapter(lantern.story, title="Across the Salt Flats")
    chapter_urls = result_urls(search(client, "salt flats", kind="chapter"))
    assert chapter_urls == [reverse("chapter_detail", args=[lantern.story.slug, 2])]


def test_each_result_says_who_wrote_it_and_where(client, lantern):
    make_chapter(lantern.story, title="Across the Salt Flats")
    credits = {}
    for q in ("swayed", "salt flats"):
        page = search(client, q).content.decode()
        found = re.search(r'<p class="credit">(.*?)</p>', page).group(1)
        credits[q] = re.sub(r"<[^>]+>", "", found)
    assert credits == {
        "swayed": "Aleksei Varga, written by Mira · in The Lantern Road",
        "salt flats": "in The Lantern Road",
    }


def test_a_title_match_ranks_above_a_passing_mention(client, cast):
    make_post(cast.scene, character=cast.aleksei, body="A heron stood in the shallows.")
    heron = make_story(owner=cast.mira, title="The Heron", summary="A heron story.")
    make_scene(make_chapter(heron), characters=[cast.aleksei])
    urls = result_urls(search(client, "heron"))
    assert urls[0] == heron.get_absolute_url()


def test_many_mentions_rank_above_one(client, cast):
    once = make_post(cast.scene, character=cast.aleksei, body="A kestrel, and other birds.")
    often = make_post(cast.scene, character=cast.lucia, body="Kestrel! The kestrel, kestrel.")
    assert result_urls(search(client, "kestrel")) == [post_link(often), post_link(once)]


def test_matches_are_marked_and_the_writers_text_is_escaped(client, cast):
    make_post(cast.scene, character=cast.aleksei, body="`<b onclick=x>` beside the lantern")
    html = search(client, "lantern").content.decode()
    assert "<mark>lantern</mark>" in html
    assert "<b onclick" not in html
    assert "&lt;b onclick=x&gt;" in html


def test_highlight_escapes_everything_and_marks_word_starts():
    marked = highlight("<i>Lanterns</i> & a lantern-maker", parse("lantern"))
    assert str(marked) == (
        "&lt;i&gt;<mark>Lanterns</mark>&lt;/i&gt; &amp; a <mark>lantern</mark>-maker"
    )


def test_a_long_text_is_cut_around_the_first_match():
    text = "word " * 200 + "lantern " + "word " * 200
    snippet = str(highlight(text, parse("lantern"), 120))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>lantern</mark>" in snippet and len(snippet) < 160


@pytest.mark.parametrize(
    ("q", "says"),
    [
        ("", "Type a word"),
        ("   ", "Type a word"),
        ("!!! ?? ...", "nothing to search for"),
        ('"', "nothing to search for"),
        ("-lantern", "nothing to search for"),
        ("AND OR NOT NEAR(", "result"),
        ('"unclosed phrase', "result"),
        ("lantern*", "result"),
        ("title:lantern", "result"),
        ("a" * 5000, "only its first 200 characters"),
        ("lantern " * 400, "only its first 200 characters"),
        ("_", "result"),
        ("💡 🕯️", "nothing to search for"),
    ],
)
def test_odd_queries_get_a_clear_page(client, lantern, q, says):
    assert says in search(client, q).content.decode()


@pytest.mark.parametrize("q", ["\x00", "lantern\x00ford"])
def test_a_nul_byte_gets_a_clear_refusal_not_an_error(client, lantern, q):
    # The site refuses NUL in any request (threads.lib.nul); search would drop it anyway.
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code in (200, 400)
    assert parse(q).words in ([], ["lantern", "ford"])


def test_filters_narrow_by_story_character_writer_and_kind(client, lantern):
    other = make_story(owner=lantern.mira, title="Lanterns Elsewhere")
    scene = make_scene(make_chapter(other), characters=[lantern.aleksei])
    elsewhere = make_post(scene, character=lantern.aleksei, body="More lanterns here.")
    by_teo = make_post(lantern.scene, character=lantern.lucia, body="Lucia lit the lanterns.")
    everything = set(result_urls(search(client, "lanterns")))
    assert {post_link(lantern.ford), post_link(elsewhere), post_link(by_teo)} <= everything
    in_story = result_urls(search(client, "lanterns", story=other.slug, kind="post"))
    assert in_story == [post_link(elsewhere)]
    as_lucia = result_urls(search(client, "lanterns", character=lantern.lucia.slug))
    assert as_lucia == [post_link(by_teo)]
    by_writer = result_urls(search(client, "lanterns", writer=lantern.teo.username))
    assert by_writer == [post_link(by_teo)]
    stories = result_urls(search(client, "lanterns", kind="story"))
    assert set(stories) == {other.get_absolute_url(), lantern.story.get_absolute_url()}


def test_a_filter_names_no_story_the_reader_cannot_read(client, lantern):
    hidden = make_story(owner=lantern.mira, title="Secret Draft", visibility="members")
    response = search(client, "lanterns", story=hidden.slug)
    assert "Secret Draft" not in response.content.decode()


def test_results_are_paginated_with_the_query_kept(client, cast):
    for n in range(25):
        make_post(cast.scene, author=cast.mira, body=f"Willow number {n}.")
    response = search(client, "willow")
    assert response.context["page"].paginator.count == 25
    assert len(response.context["results"]) == 20
    assert "?q=willow&amp;page=2" in response.content.decode()
    assert len(search(client, "willow", page=2).context["results"]) == 5


def test_past_the_ranking_cap_the_newest_matches_are_ranked_and_more_are_announced(
    client, cast, monkeypatch
):
    """A very common word: the newest MAX_RANKED matches are ranked, older ones left out,
    and the page says there are more (set to 3 here; 1,000 on the site)."""
    monkeypatch.setattr(finder, "MAX_RANKED", 3)
    posts = [make_post(cast.scene, author=cast.mira, body=f"Willow number {n}.") for n in range(5)]
    for age, post in enumerate(reversed(posts)):  # the last made is the newest
        SearchEntry.objects.filter(post=post).update(dated=timezone.now() - timedelta(days=age))
    response = search(client, "willow")
    assert sorted(result_urls(response)) == sorted(post_link(p) for p in posts[2:])
    text = " ".join(response.content.decode().split())
    assert "More than 3 results for “<bdi>willow</bdi>”" in text
    # Under the cap, the count is exact and nothing is said about more.
    monkeypatch.setattr(finder, "MAX_RANKED", 5)
    response = search(client, "willow")
    assert len(result_urls(response)) == 5
    assert "5 results for" in response.content.decode()
    assert "More than" not in response.content.decode()


@pytest.mark.parametrize("posts", [2, 30])
def test_search_runs_a_fixed_number_of_queries(client, cast, posts, django_assert_max_num_queries):
    indexing.index_characters([cast.aleksei.pk])
    for n in range(posts):
        make_post(cast.scene, character=cast.aleksei, body=f"Aleksei waits by the willow {n}.")
    with django_assert_max_num_queries(6):
        search(client, "willow aleksei", story=cast.story.slug, writer=cast.mira.username)
    with django_assert_max_num_queries(4):
        search(client, "aleksei")


def test_an_edit_by_a_trusted_writer_is_searchable_at_once(client, lantern):
    lantern.mira.is_trusted = True
    lantern.mira.save()
    edit_post(lantern.ford, lantern.mira, "The torches guttered by the ford.")
    assert result_urls(search(client, "torches")) == [post_link(lantern.ford)]
    assert post_link(lantern.ford) not in result_urls(search(client, "swayed"))


def test_a_pending_edit_stays_out_until_approved(client, lantern, moderator):
    revision = edit_post(lantern.ford, lantern.mira, "The torches guttered by the ford.")
    assert result_urls(search(client, "torches")) == []
    approve_edit(revision, moderator)
    assert result_urls(search(client, "torches")) == [post_link(lantern.ford)]


def test_renaming_a_story_or_character_through_the_forms_reindexes_it(client, lantern):
    client.force_login(lantern.mira)
    form = StoryForm(instance=lantern.story)  # whatever fields the story form has now
    data = {name: form[name].value() for name in form.fields if name != "tags"}
    data = {name: value for name, value in data.items() if value is not None}
    data["title"] = "The Salt Road"
    client.post(reverse("story_edit", args=[lantern.story.slug]), data)
    client.post(
        reverse("character_edit", args=[lantern.aleksei.slug]),
        {"name": "Aleksei the Bold", "pronouns": "", "tagline": "", "description": ""},
    )
    client.logout()
    assert lantern.story.get_absolute_url() in result_urls(search(client, "salt"))
    assert result_urls(search(client, "bold", kind="character")) == [
        lantern.aleksei.get_absolute_url()
    ]


def test_rebuild_indexes_the_same_rows(lantern):
    indexing.index_characters([lantern.aleksei.pk, lantern.lucia.pk])
    before = sorted(SearchEntry.objects.values_list("kind", "object_id"))
    assert indexing.rebuild() == len(before)
    assert sorted(SearchEntry.objects.values_list("kind", "object_id")) == before


def test_only_published_posts_are_indexed(lantern):
    make_post(lantern.scene, character=lantern.aleksei, status=Post.Status.PENDING)
    indexed = set(SearchEntry.objects.filter(kind="post").values_list("object_id", flat=True))
    assert indexed == {lantern.ford.pk, lantern.river.pk}


@pytest.mark.parametrize(
    ("language", "config"),
    [
        ("en", "english"),
        ("ru", "russian"),
        ("pt-br", "portuguese"),
        ("ja", "simple"),
        ("", "simple"),
    ],
)
def test_the_story_language_picks_the_text_search_configuration(language, config):
    assert indexing.config_for(language) == config


def test_the_demo_archive_is_searchable_on_first_run(client, db, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    assert result_urls(search(client, "Marisol", kind="character"))
    assert result_urls(search(client, "lighthouse", kind="post"))
    assert result_urls(search(client, "keeper"))


def test_rebuild_command_reports_what_it_indexed(lantern):
    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert f"Indexed {SearchEntry.objects.count()} rows" in out.getvalue()
