"""The owner's upload with its preview, claims on imported posts, and greetings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import make_chapter, make_scene
from threads.interchange import claims
from threads.interchange.plan import apply
from threads.interchange.text_import import parse
from threads.models import Character, Claim, Post

TEXT = (
    "1.1K 20 3\nChapter Twelve: The Lock\n\nThe lock gave — *finally*.\n\n\n"
    "«Тише», she said.\nStart reading\n"
)


def upload(client, story, text=TEXT, **fields):
    data = {
        "source": "text",
        "split": "blank-lines",
        "characters": "Vesna, Aleksei",
        "file": SimpleUploadedFile("lock.txt", text.encode()),
        **fields,
    }
    return client.post(reverse("import_upload", args=[story.slug]), data)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def test_owner_previews_then_confirms_the_import(owner_client, story):
    response = upload(owner_client, story)
    assert response.status_code == 302
    assert not Post.objects.exists()
    preview = owner_client.get(reverse("import_preview", args=[story.slug]))
    page = preview.content.decode()
    assert "Chapter 12: The Lock" in page and "1.1K 20 3" in page and "Start reading" in page
    assert "Vesna</strong>: 1 post" in page and "Тише" in page
    done = owner_client.post(reverse("import_preview", args=[story.slug]), {"confirm": "1"})
    assert done["Location"] == reverse("chapter_detail", args=[story.slug, 12])
    posts = Post.objects.filter(scene__chapter__story=story).order_by("number")
    assert [p.character.name for p in posts] == ["Vesna", "Aleksei"]
    chapter_page = owner_client.get(done["Location"]).content.decode()
    assert "<em>finally</em>" in chapter_page and "Тише" in chapter_page


def test_cancel_saves_nothing_and_forgets_the_upload(owner_client, story):
    upload(owner_client, story)
    owner_client.post(reverse("import_preview", args=[story.slug]), {"cancel": "1"})
    assert not Post.objects.exists()
    again = owner_client.post(reverse("import_preview", args=[story.slug]), {"confirm": "1"})
    assert again["Location"] == reverse("import_upload", args=[story.slug])
    assert not Post.objects.exists()


def test_a_bad_file_comes_back_with_the_line_named(owner_client, story):
    response = upload(owner_client, story, text="")
    assert response.status_code == 400
    bad = SimpleUploadedFile("bad.txt", b"ok\n\xff\n")
    response = upload(owner_client, story, file=bad)
    assert response.status_code == 400 and "Line 2 is not UTF-8" in response.content.decode()
    assert owner_client.session.get(f"import:{story.pk}") is None


def test_oversized_upload_is_refused_with_413(owner_client, story, settings, monkeypatch):
    monkeypatch.setattr("threads.views.imports.UPLOAD_MAX_BYTES", 10)
    response = upload(owner_client, story, text="x" * 100_000)
    assert response.status_code == 413 and "too large" in response.content.decode()
    monkeypatch.setattr("threads.forms.imports.UPLOAD_MAX_BYTES", 10)
    monkeypatch.setattr("threads.views.imports.UPLOAD_MAX_BYTES", 10**9)
    response = upload(owner_client, story, text="x" * 100)
    assert response.status_code == 400 and "at most" in response.content.decode()


@pytest.mark.parametrize("who, status", [("cowriter", 403), ("stranger", 404)])
def test_only_the_owner_may_import(client, story, who, status, request):
    client.force_login(request.getfixturevalue(who))
    assert upload(client, story).status_code == status
    assert client.get(reverse("import_preview", args=[story.slug])).status_code == status
    assert not Post.objects.exists()


def test_suspended_owner_is_refused(owner_client, owner, story):
    owner.suspend("spam")
    assert upload(owner_client, story).status_code == 403
    assert not Post.objects.exists()


def test_upload_needs_the_csrf_token(owner, story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert upload(client, story).status_code == 403


def test_the_session_names_no_file_the_client_chose(owner_client, story, tmp_path):
    # A file that would import, outside the upload folder, named by a forged token.
    (tmp_path / "elsewhere.upload").write_text("Text from elsewhere.", encoding="utf-8")
    session = owner_client.session
    session[f"import:{story.pk}"] = {
        "token": f"../../../../../../..{tmp_path}/elsewhere",
        "source": "text",
        "options": {"split": "whole", "characters": []},
        "name": "x",
    }
    session.save()
    response = owner_client.post(reverse("import_preview", args=[story.slug]), {"confirm": "1"})
    assert response["Location"] == reverse("import_upload", args=[story.slug])
    assert not Post.objects.exists()


# --- Claims -----------------------------------------------------------------------------


@pytest.fixture
def imported(owner, story):
    apply(parse(TEXT.encode(), "blank-lines", ["Vesna", "Aleksei"]), owner, story.slug)
    return Character.objects.get(name="Vesna")


def test_writer_claims_and_owner_approves(owner_client, owner, stranger, story, imported):
    client = Client()
    client.force_login(stranger)
    page = client.get(imported.get_absolute_url()).content.decode()
    assert "Claim Vesna's posts in The Lantern Road" in page
    client.post(reverse("claim_ask", args=[imported.slug]), {"story": story.pk, "note": "me!"})
    claim = Claim.objects.get()
    assert (claim.claimant, claim.status, claim.note) == (stranger, "pending", "me!")
    manage = owner_client.get(reverse("story_manage", args=[story.slug])).content.decode()
    assert "asks to be credited" in manage
    owner_client.post(reverse("claim_decide", args=[story.slug, claim.pk]), {"decision": "approve"})
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by, claim.posts_credited) == ("approved", owner, 1)
    assert {p.author for p in imported.posts.all()} == {stranger}
    imported.refresh_from_db()
    assert imported.owner == stranger


def test_declined_claim_changes_no_credit(owner, stranger, story, imported):
    placeholder = imported.owner
    claim = claims.ask(story, imported, stranger)
    claims.decide(claim, owner, approve=False)
    assert {p.author for p in imported.posts.all()} == {placeholder}
    assert Claim.objects.get().status == "declined"


def test_only_the_owner_decides_claims(client, cowriter, stranger, story, imported):
    claim = claims.ask(story, imported, stranger)
    client.force_login(cowriter)
    url = reverse("claim_decide", args=[story.slug, claim.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    with pytest.raises(claims.ClaimError):
        claims.decide(claim, cowriter, approve=True)
    assert Claim.objects.get().status == "pending"
    assert imported.posts.filter(author=stranger).count() == 0


def test_nothing_to_claim_in_an_unreadable_story(client, stranger, story, imported):
    story.visibility = "members"
    story.save(update_fields=["visibility"])
    client.force_login(stranger)
    response = client.post(reverse("claim_ask", args=[imported.slug]), {"story": story.pk})
    assert response.status_code == 404 and not Claim.objects.exists()


# --- Greetings --------------------------------------------------------------------------


def test_greeting_shows_and_opens_an_empty_scene(owner_client, owner, story):
    vesna = Character.objects.create(owner=owner, name="Vesna", greeting="*The bell rings.*")
    scene = make_scene(make_chapter(story), characters=[vesna])
    page = owner_client.get(vesna.get_absolute_url()).content.decode()
    assert "The bell rings." in page and "Post the greeting" in page
    owner_client.post(reverse("greeting_post", args=[vesna.slug]), {"scene": scene.pk})
    post = scene.posts.get()
    assert (post.number, post.character, post.body) == (1, vesna, "*The bell rings.*")
    again = owner_client.post(reverse("greeting_post", args=[vesna.slug]), {"scene": scene.pk})
    assert again.status_code == 404 and scene.posts.count() == 1
