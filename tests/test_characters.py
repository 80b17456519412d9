"""Characters: a writer creates, edits, retires and brings back their own characters."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import make_character
from threads.models import Character


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_upload(name="portrait.png", size=(700, 900)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def character_data(**overrides):
    data = {
        "name": "Aleksei Varga",
        "pronouns": "he/him",
        "tagline": "a ferryman who never learned to swim",
        "description": "Keeps a **ledger** of every crossing.",
    }
    return data | overrides


def test_a_writer_creates_a_character_with_a_portrait(client, owner, media_root):
    client.force_login(owner)
    response = client.post(
        reverse("character_create"), character_data(portrait_upload=png_upload())
    )
    character = Character.objects.get()
    assert response.url == character.get_absolute_url()
    assert character.owner == owner
    assert character.slug == "aleksei-varga"
    assert "<strong>ledger</strong>" in character.description_html
    with Image.open(character.portrait.path) as portrait:
        assert portrait.size == (398, 512)
    with Image.open(character.portrait_thumb.path) as thumb:
        assert thumb.size == (96, 96)
    assert str(media_root) in character.portrait.path


def test_a_character_without_a_portrait_is_fine(client, owner):
    client.force_login(owner)
    client.post(reverse("character_create"), character_data())
    assert not Character.objects.get().portrait


def test_a_text_file_as_portrait_is_refused_and_the_text_kept(client, owner):
    client.force_login(owner)
    fake = SimpleUploadedFile("portrait.png", b"just words", content_type="image/png")
    response = client.post(reverse("character_create"), character_data(portrait_upload=fake))
    assert response.status_code == 400
    assert "not a picture we can read" in response.content.decode()
    assert "Keeps a **ledger** of every crossing." in response.content.decode()
    assert "choose the picture again" in response.content.decode()
    assert not Character.objects.exists()


def test_an_overlong_description_is_refused_not_a_crash(client, owner):
    client.force_login(owner)
    response = client.post(reverse("character_create"), character_data(description="x" * 20_001))
    assert response.status_code == 400
    assert "at most 20000 characters" in response.content.decode()


def test_the_owner_edits_a_character_and_its_old_portrait_files_go(
    client, owner, media_root, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    client.post(reverse("character_create"), character_data(portrait_upload=png_upload()))
    character = Character.objects.get()
    old_files = [character.portrait.path, character.portrait_thumb.path]

    url = reverse("character_edit", args=[character.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, character_data(name="Aleksei", portrait_upload=png_upload()))
    assert response.status_code == 302
    character.refresh_from_db()
    assert character.name == "Aleksei"
    assert character.slug == "aleksei-varga"  # links to the character keep working
    assert old_files[0] != character.portrait.path
    assert not any((media_root / path).exists() for path in old_files)
    assert (media_root / character.portrait.name).exists()


def test_the_owner_removes_a_portrait(client, owner):
    client.force_login(owner)
    client.post(reverse("character_create"), character_data(portrait_upload=png_upload()))
    character = Character.objects.get()
    url = reverse("character_edit", args=[character.slug])
    client.post(url, character_data(remove_portrait="on"))
    character.refresh_from_db()
    assert not character.portrait
    assert not character.portrait_thumb


def test_the_edit_form_comes_filled_in(client, owner_character):
    client.force_login(owner_character.owner)
    response = client.get(reverse("character_edit", args=[owner_character.slug]))
    assert 'value="Aleksei Varga"' in response.content.decode()


def test_a_stranger_cannot_edit_someone_elses_character(client, stranger, owner_character):
    client.force_login(stranger)
    url = reverse("character_edit", args=[owner_character.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, character_data(name="Stolen")).status_code == 403
    owner_character.refresh_from_db()
    assert owner_character.name == "Aleksei Varga"


def test_a_stranger_cannot_retire_someone_elses_character(client, stranger, owner_character):
    client.force_login(stranger)
    url = reverse("character_retire", args=[owner_character.slug])
    assert client.post(url, {"retired": "1"}).status_code == 403
    owner_character.refresh_from_db()
    assert not owner_character.is_retired


def test_editing_needs_a_login(client, owner_character):
    url = reverse("character_edit", args=[owner_character.slug])
    assert client.get(url).url.startswith(reverse("login"))


def test_an_unknown_character_is_a_404(client, owner):
    client.force_login(owner)
    assert client.get(reverse("character_edit", args=["nobody"])).status_code == 404


def test_retiring_hides_a_character_from_the_writers_page_until_brought_back(
    client, owner, owner_character
):
    client.force_login(owner)
    url = reverse("character_retire", args=[owner_character.slug])
    assert client.post(url, {"retired": "1"}).url == reverse("my_characters")
    owner_character.refresh_from_db()
    assert owner_character.is_retired
    mine = client.get(reverse("my_characters")).content.decode()
    assert "Aleksei Varga is retired" in mine and "Bring back" in mine
    assert "Aleksei Varga" not in client.get(owner.get_absolute_url()).content.decode()

    client.post(url, {"retired": "0"}, follow=True)
    owner_character.refresh_from_db()
    assert not owner_character.is_retired
    assert "Aleksei Varga" in client.get(owner.get_absolute_url()).content.decode()


def test_retiring_needs_a_post(client, owner, owner_character):
    client.force_login(owner)
    assert client.get(reverse("character_retire", args=[owner_character.slug])).status_code == 405


def test_my_characters_lists_only_mine_in_a_fixed_number_of_queries(
    client, owner, stranger, django_assert_num_queries
):
    for n in range(5):
        make_character(owner=owner, name=f"Mine {n}")
    make_character(owner=stranger, name="Not mine")
    client.force_login(owner)
    # 3 for the page, 1 for the navigation's turn count (no stories, so no scenes to read).
    with django_assert_num_queries(4):
        response = client.get(reverse("my_characters"))
    page = response.content.decode()
    assert page.count(">Mine ") == 5
    assert "Not mine" not in page
