"""Request bodies over RP_MAX_UPLOAD_BYTES are refused with a 413 page before they are read;
below it, the portrait and import pages still answer with their own messages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from threads.lib import upload_cap
from threads.models import Character

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture
def capped(settings):
    # RP_IMPORT_MAX_BYTES stays 5 MB: threads.interchange.plan reads it once, on import.
    settings.RP_MAX_UPLOAD_BYTES = 2 * MB
    return settings


def post_declaring(client, url, length):
    """A POST whose Content-Length claims ``length`` bytes; the body is never sent whole,
    so a reader of the body would fail: the refusal must come first."""
    return client.generic(
        "POST", url, b"x" * 10, content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
    )  # fmt: skip


def test_an_oversized_request_is_refused_before_it_is_read(client, capped, monkeypatch):
    def must_not_run(request):
        raise AssertionError("the body was read")

    monkeypatch.setattr("threads.lib.nul._has_nul", must_not_run)
    response = post_declaring(client, "/write/characters/new/", 2 * MB + 1)
    assert response.status_code == 413
    assert "too large to send" in response.content.decode()
    assert "at most 2 MB" in response.content.decode()


def test_a_request_under_the_cap_reaches_its_view(owner, client, capped):
    client.force_login(owner)
    portrait = SimpleUploadedFile("p.png", b"x" * MB, content_type="image/png")
    response = client.post("/write/characters/new/", {"name": "Wren", "portrait_upload": portrait})
    assert response.status_code != 413
    assert "too large to send" not in response.content.decode()


def test_an_import_may_be_larger_than_other_uploads(story, capped):
    assert upload_cap.cap_for(f"/write/stories/{story.slug}/import/") == 6 * MB
    assert upload_cap.cap_for("/write/characters/new/") == 2 * MB


def test_the_import_page_still_explains_a_file_just_over_its_limit(owner, story, client, settings):
    settings.RP_MAX_UPLOAD_BYTES = 2 * MB  # imports keep their own 5 MB and a margin
    client.force_login(owner)
    upload = SimpleUploadedFile("log.txt", b"x" * (5 * MB + 100_000), content_type="text/plain")
    response = client.post(f"/write/stories/{story.slug}/import/", {"file": upload})
    assert response.status_code == 413
    assert "That file is too large" in response.content.decode()  # the import page's own
    assert "uploads can be at most 5 MB" in response.content.decode()


def test_an_import_over_the_larger_cap_is_refused_at_the_door(owner, story, client, capped):
    client.force_login(owner)
    response = post_declaring(client, f"/write/stories/{story.slug}/import/", 6 * MB + 1)
    assert "too large to send" in response.content.decode()


def test_the_portrait_form_still_explains_a_portrait_over_5_mb(owner, client):
    client.force_login(owner)
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * MB), content_type="image/png")
    response = client.post("/write/characters/new/", {"name": "Wren", "portrait_upload": big})
    assert response.status_code in {200, 400}
    assert "5 MB" in response.content.decode()
    assert not Character.objects.filter(name="Wren").exists()


def test_a_malformed_content_length_is_left_to_django(client):
    assert upload_cap.declared_length(type("R", (), {"META": {"CONTENT_LENGTH": "x"}})()) == 0
    assert client.get("/", CONTENT_LENGTH="lots").status_code == 200
