"""Downloads from the story page: readers get only what the reading pages show them, in
every format; the full backup is the owner's alone; the public JSON is read like a page."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from tests.export_story import HIDDEN, SHOWN, make_told_story
from tests.factories import PASSWORD, make_user
from threads.models import Story

READER_FORMATS = ["epub", "html", "md"]


@pytest.fixture
def told(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_told_story()


def download_text(client, story, fmt):
    """The downloaded file's text, whatever its format (an EPUB's pages run together)."""
    if fmt == "json":
        response = client.get(reverse("story_json", args=[story.slug]))
    else:
        response = client.get(reverse("story_download", args=[story.slug, fmt]))
    assert response.status_code == 200
    if fmt != "epub":
        return response.content.decode()
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        pages = [name for name in book.namelist() if name.endswith(".xhtml")]
        return "".join(book.read(name).decode() for name in pages)


@pytest.mark.parametrize("fmt", [*READER_FORMATS, "json"])
@pytest.mark.parametrize("hidden", sorted(HIDDEN))
def test_reader_exports_leave_out_what_readers_cannot_see(client, told, fmt, hidden):
    # The owner is the hardest case: on the site she sees pending posts and drafts.
    client.force_login(told.cast.mira)
    text = download_text(client, told.story, fmt)
    assert "Lanterns swayed over the ford" in text
    assert HIDDEN[hidden] not in text


@pytest.mark.parametrize("fmt", READER_FORMATS)
def test_reader_exports_credit_characters_and_writers(client, told, fmt):
    text = download_text(client, told.story, fmt)
    for credit in ("Aleksei", "Lucia", "Mira", "Teo", "Chapter 2: Across"):
        assert credit in text
    assert "Лукия — «тихо»" in text


@pytest.mark.parametrize("fmt", ["epub", "html"])
def test_writers_markup_never_reaches_a_reader_export_unescaped(client, told, fmt):
    told.story.title = "<i>Road</i>"
    told.story.save()
    text = download_text(client, told.story, fmt)
    assert "<script>" not in text
    assert "<i>Road</i>" not in text


def test_single_html_file_needs_nothing_outside_itself(client, told):
    text = download_text(client, told.story, "html")
    assert "<style>" in text and "--measure" in text  # the site's reading styles
    assert 'src="data:image/png;base64,' in text
    assert "/static/" not in text and "/media/" not in text


def test_markdown_opens_with_front_matter_and_chapters_as_headings(client, told):
    text = download_text(client, told.story, "md")
    front, _, body = text.removeprefix("---\n").partition("\n---\n")
    assert 'title: "The Lantern Road"' in front
    assert 'writers: ["Mira", "Teo"]' in front
    assert "## Chapter 1: Chapter 1" in body and "## Chapter 2: Across" in body
    assert "**Aleksei** (written by Mira)" in body


def test_downloads_carry_a_file_name(client, told):
    response = client.get(reverse("story_download", args=[told.story.slug, "epub"]))
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"] == 'attachment; filename="the-lantern-road.epub"'


def test_unknown_format_is_not_found(client, told):
    response = client.get(reverse("story_download", args=[told.story.slug, "pdf"]))
    assert response.status_code == 404


# --- Who may download -------------------------------------------------------------------


def test_story_json_of_a_members_only_story_is_not_found_for_strangers(client, told):
    Story.objects.filter(pk=told.story.pk).update(visibility=Story.Visibility.MEMBERS)
    client.login(username=make_user("sasha").username, password=PASSWORD)
    assert client.get(reverse("story_json", args=[told.story.slug])).status_code == 404
    for fmt in READER_FORMATS:
        url = reverse("story_download", args=[told.story.slug, fmt])
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(reverse("story_json", args=[told.story.slug])).status_code == 404


def test_members_only_story_downloads_for_its_members(client, told):
    Story.objects.filter(pk=told.story.pk).update(visibility=Story.Visibility.MEMBERS)
    client.force_login(told.cast.teo)
    assert client.get(reverse("story_json", args=[told.story.slug])).status_code == 200


def test_registered_only_story_asks_anonymous_readers_to_log_in(client, told):
    Story.objects.filter(pk=told.story.pk).update(visibility=Story.Visibility.REGISTERED)
    response = client.get(reverse("story_download", args=[told.story.slug, "epub"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_adult_story_shows_the_notice_before_a_download(client, told):
    Story.objects.filter(pk=told.story.pk).update(rating="explicit")
    response = client.get(reverse("story_download", args=[told.story.slug, "md"]))
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert SHOWN not in response.content.decode()


def test_public_json_has_no_private_fields(client, told):
    client.force_login(told.cast.mira)
    data = json.loads(client.get(reverse("story_json", args=[told.story.slug])).content)
    assert data["variant"] == "public"
    text = json.dumps(data)
    for private in ("@example.test", '"revisions"', '"status": "active"', "moderation_reason"):
        assert private not in text
    assert {post["number"] for post in data["chapters"][0]["scenes"][0]["posts"]} == {1, 2, 3}


def test_only_the_owner_gets_the_full_backup(client, told):
    url = reverse("story_backup", args=[told.story.slug])
    client.force_login(told.cast.teo)
    assert client.get(url).status_code == 403
    client.force_login(make_user("sasha"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(told.cast.mira)
    response = client.get(url)
    assert response.status_code == 200
    assert HIDDEN["pending"] in response.content.decode()


def test_story_page_offers_the_backup_to_the_owner_alone(client, told):
    backup = reverse("story_backup", args=[told.story.slug])
    page = reverse("story_detail", args=[told.story.slug])
    client.force_login(told.cast.teo)
    text = client.get(page).content.decode()
    assert reverse("story_download", args=[told.story.slug, "epub"]) in text
    assert backup not in text
    client.force_login(told.cast.mira)
    assert backup in client.get(page).content.decode()


# --- Query ceilings ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [*READER_FORMATS, "json"])
def test_reader_downloads_run_a_bounded_number_of_queries(
    client, told, fmt, django_assert_max_num_queries
):
    client.force_login(told.cast.mira)
    with django_assert_max_num_queries(14):
        download_text(client, told.story, fmt)


def test_backup_runs_a_bounded_number_of_queries(client, told, django_assert_max_num_queries):
    client.force_login(told.cast.mira)
    with django_assert_max_num_queries(16):
        client.get(reverse("story_backup", args=[told.story.slug]))
