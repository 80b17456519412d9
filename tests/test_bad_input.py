"""Bad input, field by field: every form in threads/forms/ is found by looking, so a new form
or field joins these tests without anyone listing it.

Two tables meet here. BAD_INPUTS is what an attacker or an odd keyboard sends: a NUL,
broken UTF-8 (with an encoded lone surrogate), 10 MB, text made only of zero-width
characters, a right-to-left override, Markdown nested 500 deep. ROUTES says how to reach
each form through its real view, as the user who may send it, with valid data for the
other fields. Every (form, text field, bad input) is sent there as raw bytes, and:

- nothing answers 500;
- a refusal (4xx) changes nothing in the database;
- a NUL is refused at the door (400) and 10 MB is refused unread (400 or 413);
- names and titles (NameField) and Markdown (MarkdownField, the post body) refuse text
  made only of invisible characters, and Markdown refuses nesting it cannot render: with
  the form's own message on the page and the text kept in the form;
- a name keeps no bidirectional control; a Markdown text keeps it, as written.

A form with text fields and no route fails ``test_every_form_with_text_has_a_route``: add
its route below. Each field is also checked on its own, with no view, in
``test_each_text_field_cleans_bad_input_or_refuses_it``.
"""

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils.html import escape

import threads.forms
from tests.factories import PASSWORD, make_post, make_user
from threads.forms.fields import BodyField, MarkdownField, NameField, NameTagField
from threads.models import Comment, Membership, Post, Report

# --- The bad inputs ---------------------------------------------------------------------------

NESTED = "1. " * 500 + "deep"


@dataclass(frozen=True)
class Bad:
    raw: bytes  # as sent in the request body
    text: str  # as Django decodes it, what a field sees


BAD_INPUTS = {
    "NUL": Bad(b"Tide\x00line", "Tide\x00line"),
    "broken UTF-8": Bad(b"Tide\xff\xfe\xed\xa0\x80line", "Tide\ufffd\ufffd\ufffd\ufffd\ufffdline"),
    "10 MB": Bad(b"x" * 10_000_000, "x" * 10_000_000),
    "zero-width only": Bad("\u200b\u200c\u200d\ufeff".encode(), "\u200b\u200c\u200d\ufeff"),
    "bidi override": Bad("Vesna \u202eevil\u202c".encode(), "Vesna \u202eevil\u202c"),
    "nested Markdown": Bad(NESTED.encode(), NESTED),
}
BIDI_AND_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def is_name(form_field):
    return isinstance(form_field, NameField | NameTagField)


def is_markdown(form_field):
    return isinstance(form_field, MarkdownField)


# --- Finding the forms ------------------------------------------------------------------------


def discovered_forms():
    """Every form class defined in a module of threads/forms/."""
    found = []
    for module_info in pkgutil.iter_modules(threads.forms.__path__):
        module = importlib.import_module(f"threads.forms.{module_info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return sorted(found, key=lambda cls: cls.__qualname__)


def text_fields(form_class):
    """The form's declared text fields; passwords are secrets, not text, and hidden fields
    are the page's own."""
    return [
        name
        for name, form_field in form_class.base_fields.items()
        if isinstance(form_field, forms.CharField)
        and not isinstance(form_field.widget, forms.PasswordInput | forms.HiddenInput)
    ]


FORMS = discovered_forms()
FIELD_CASES = [
    pytest.param(cls, name, bad, id=f"{cls.__name__}.{name}-{label}")
    for cls in FORMS
    for name in text_fields(cls)
    for label, bad in BAD_INPUTS.items()
]


def test_the_forms_are_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"PostForm", "StoryForm", "CharacterForm", "ProfileForm", "SignupForm"} <= names


@pytest.mark.parametrize(("form_class", "name", "bad"), FIELD_CASES)
def test_each_text_field_cleans_bad_input_or_refuses_it(form_class, name, bad):
    form_field = form_class.base_fields[name]
    try:
        value = form_field.clean(bad.text)
    except forms.ValidationError as refusal:
        assert refusal.messages and all(refusal.messages)
        return
    text = ", ".join(value) if isinstance(value, list) else str(value)
    assert "\x00" not in text
    assert bad.text != BAD_INPUTS["10 MB"].text, "accepts 10 MB: give it a max_length"
    if is_name(form_field):
        assert not BIDI_AND_INVISIBLE.search(text)
        assert bad.text != BAD_INPUTS["zero-width only"].text
    if is_markdown(form_field):
        assert bad.text not in (BAD_INPUTS["zero-width only"].text, NESTED)


# --- Through the views ------------------------------------------------------------------------


@dataclass
class Route:
    """How to send a form: as whom (a ``world`` attribute, None for anonymous), where, with
    what valid data, and whether by GET."""

    user: str | None
    url: Callable
    data: Callable
    method: str = "post"
    files: dict = field(default_factory=dict)


def _story_data(world):
    return {
        "title": "Salt Flats",
        "summary": "",
        "tags": "coast",
        "rating": "general",
        "warnings": "none",
        "language": "en",
        "visibility": "public",
        "status": "in_progress",
        "reader_insert_placeholders": "",
    }


ROUTES = {
    "SignupForm": Route(
        None,
        lambda w: reverse("signup"),
        lambda w: {
            "username": "newcomer",
            "email": "newcomer@example.test",
            "password1": "a long tidal phrase 42",
            "password2": "a long tidal phrase 42",
        },
    ),
    "ProfileForm": Route(
        "mira",
        lambda w: reverse("profile_edit"),
        lambda w: {"display_name": "Mira", "pronouns": "", "email": w.mira.email, "bio": ""},
    ),
    "StoryFilterForm": Route(
        None, lambda w: reverse("story_list"), lambda w: {"tag": "coast"}, method="get"
    ),
    "CharacterForm": Route(
        "mira",
        lambda w: reverse("character_create"),
        lambda w: {"name": "Vesna", "pronouns": "", "tagline": "", "description": "", "tags": ""},
    ),
    "PostForm": Route(
        "mira",
        lambda w: reverse("post_submit", args=[w.story.slug, w.chapter.number, w.scene.position]),
        lambda w: {"post_as": f"character-{w.aleksei.pk}", "body": "The ford was high."},
    ),
    "EditForm": Route(
        "mira",
        lambda w: reverse("post_edit", args=[w.post.pk]),
        lambda w: {"body": "The ford was higher."},
    ),
    "ReportForm": Route(
        "sasha",
        lambda w: reverse("report_post", args=[w.post.pk]),
        lambda w: {"reason": Report.Reason.OTHER, "note": "Odd."},
    ),
    "StoryForm": Route("mira", lambda w: reverse("story_create"), _story_data),
    "CommentReportForm": Route(
        "sasha",
        lambda w: reverse("comment_report", args=[w.comment.pk]),
        lambda w: {"reason": Report.Reason.OTHER, "note": "Odd."},
    ),
    # The code field of two-factor set-up: a staff user confirming a new device.
    "TokenForm": Route("moss", lambda w: reverse("two_factor"), lambda w: {"token": "123456"}),
    "InviteForm": Route(
        "mira",
        lambda w: reverse("story_members", args=[w.story.slug]),
        lambda w: {"username": "sasha", "role": Membership.Role.CO_WRITER},
    ),
    "ChapterForm": Route(
        "mira",
        lambda w: reverse("chapter_create", args=[w.story.slug]),
        lambda w: {"number": 2, "title": "High Water", "summary": ""},
    ),
    "SceneForm": Route(
        "mira",
        lambda w: reverse("scene_create", args=[w.story.slug, w.chapter.number]),
        lambda w: {"position": 2, "title": "The Bank", "setting": "", "turn_mode": "free"},
    ),
    "ImportUploadForm": Route(
        "mira",
        lambda w: reverse("import_upload", args=[w.story.slug]),
        lambda w: {"source": "text", "split": "blank-lines", "characters": "Vesna"},
        files={"file": ("chapter.txt", b"One turn.\n\nAnother turn.\n")},
    ),
    "ClaimForm": Route(
        "sasha",
        lambda w: reverse("claim_ask", args=[w.lucia.slug]),
        lambda w: {"story": w.story.pk, "note": "These were mine."},
    ),
    "BookmarkForm": Route(
        "sasha",
        lambda w: reverse("bookmark_save", args=[w.story.slug]),
        lambda w: {"note": "Page two."},
    ),
    "CommentForm": Route(
        "sasha",
        lambda w: reverse("comment_post", args=[w.story.slug, w.chapter.number]),
        lambda w: {"body": "Lovely chapter.", "parent": ""},
    ),
    "ReaderNameForm": Route("sasha", lambda w: reverse("reader_name"), lambda w: {"name": "Sasha"}),
    "LoginForm": Route(
        None, lambda w: reverse("login"), lambda w: {"username": "sasha", "password": PASSWORD}
    ),
    # The moderators' reasons (threads/forms/moderation.py): one decision, and a bulk one.
    "DecisionForm": Route(
        "moss",
        lambda w: reverse("admin:threads_post_decide", args=[w.post.pk]),
        lambda w: {"decision": "hide", "reason": "Off topic."},
    ),
    "ReasonForm": Route(
        "moss",
        lambda w: reverse("admin:threads_user_changelist"),
        lambda w: {
            "action": "suspend",
            "_selected_action": str(w.sasha.pk),
            "apply": "yes",
            "reason": "Spam.",
        },
    ),
}


def test_every_form_with_text_has_a_route():
    missing = [cls.__name__ for cls in FORMS if text_fields(cls) and cls.__name__ not in ROUTES]
    assert not missing, f"add a route to ROUTES for {missing}"


@dataclass
class World:
    mira: object
    teo: object
    sasha: object
    story: object
    chapter: object
    scene: object
    aleksei: object
    lucia: object
    post: object
    moss: object = None
    comment: object = None


@pytest.fixture
def world(cast, stranger, moderator):
    """Mira's post opens the scene; an imported post of Lucia's waits to be claimed; it is
    Aleksei's (Mira's) turn again."""
    post = make_post(cast.scene, character=cast.aleksei, body="The ford was low.")
    imported = make_user("imported-writer", is_placeholder=True)
    make_post(cast.scene, author=imported, character=cast.lucia, body="Lucia waded in.")
    comment = Comment.objects.create(
        chapter=cast.chapter, author=cast.teo, body="The ford scene!", status="approved"
    )
    return World(
        cast.mira,
        cast.teo,
        stranger,
        cast.story,
        cast.chapter,
        cast.scene,
        cast.aleksei,
        cast.lucia,
        post,
        moderator,
        comment,
    )


def database():
    """Every row of every model (sessions aside), to prove a refusal changed nothing."""
    return {
        model._meta.label: sorted(map(repr, model._base_manager.values_list()))
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.label != "sessions.Session"
    }


def stored_text():
    """Every text value in the database, joined (repr would escape the controls)."""
    return "\n".join(
        value
        for model in apps.get_models()
        if not model._meta.proxy
        for row in model._base_manager.values_list()
        for value in row
        if isinstance(value, str)
    )


MARK = "\u2603BAD\u2603"


def send(client, route, world, name, bad):
    """The form's valid data with ``name`` replaced by the bad bytes, sent raw."""
    data = {**route.data(world), name: MARK}
    if route.method == "get":
        query = "&".join(
            f"{key}={quote_from_bytes(bad.raw if value == MARK else str(value).encode())}"
            for key, value in data.items()
        )
        return client.get(f"{route.url(world)}?{query}")
    files = {key: SimpleUploadedFile(*spec) for key, spec in route.files.items()}
    body = encode_multipart(BOUNDARY, {**data, **files}).replace(MARK.encode(), bad.raw)
    return client.generic("POST", route.url(world), body, content_type=MULTIPART_CONTENT)


# 10 MB is refused as a request, before any field is read: once per form is enough here
# (each field's own bound is checked above, without a view).
VIEW_CASES = [
    pytest.param(cls, name, label, id=f"{cls.__name__}.{name}-{label}")
    for cls in FORMS
    if cls.__name__ in ROUTES
    for index, name in enumerate(text_fields(cls))
    for label in BAD_INPUTS
    if label != "10 MB" or index == 0
]


@pytest.mark.parametrize(("form_class", "name", "label"), VIEW_CASES)
def test_bad_input_through_the_real_view(client, world, form_class, name, label):
    route, bad = ROUTES[form_class.__name__], BAD_INPUTS[label]
    form_field = form_class.base_fields[name]
    if route.user:
        client.force_login(getattr(world, route.user))
    before = database()

    response = send(client, route, world, name, bad)

    assert response.status_code < 500
    if response.status_code >= 400:
        assert database() == before, "a refusal changed the database"
    if label == "NUL":
        assert response.status_code == 400  # at the door
        return
    if label == "10 MB" and route.method == "post":
        assert response.status_code in (400, 413)  # the body refused unread
        return
    refuses = (label == "zero-width only" and (is_name(form_field) or is_markdown(form_field))) or (
        label == "nested Markdown" and is_markdown(form_field)
    )
    if refuses:
        assert 400 <= response.status_code < 500
        with pytest.raises(forms.ValidationError) as refusal:
            form_field.clean(bad.text)
        page = response.content.decode()
        assert escape(refusal.value.messages[0]) in page, "the reason is not on the page"
        assert escape(bad.text) in page, "the text was not kept"
    elif label == "bidi override" and response.status_code < 400:
        stored = stored_text()
        if is_name(form_field):
            assert "\u202e" not in stored
        elif isinstance(form_field, BodyField) or is_markdown(form_field):
            assert "\u202e" in stored, "Markdown text keeps what the writer wrote"


# --- URLs with impossible values ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/writers/%00/",
        "/characters/%00/",
        "/tags/%00/",
        "/stories/%00/",
        "/feeds/tags/%00/",
    ],
)
def test_a_nul_in_the_address_is_not_found(client, db, url):
    assert client.get(url).status_code == 404


def test_a_nul_in_an_admin_list_filter_is_refused(client, moderator):
    client.force_login(moderator)
    url = reverse("admin:threads_post_changelist")
    assert client.get(url).status_code == 200
    assert client.get(f"{url}?status__exact=%00").status_code == 400


def test_a_nul_in_a_posted_value_changes_nothing(client, world):
    client.force_login(world.mira)
    before = database()
    response = client.post(reverse("post_edit", args=[world.post.pk]), {"body": "Tide\x00"})
    assert response.status_code == 400
    assert database() == before
    assert Post.objects.get(pk=world.post.pk).body == "The ford was low."
