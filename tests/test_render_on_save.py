"""Markdown is rendered on save only when its source is saved and has changed, for every
model that stores rendered HTML (threads.lib.markup.RendersMarkdown); importers render
unsaved rows with markup.render_markdown_fields before bulk_create."""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

import pytest

from tests.factories import make_post
from threads.lib import markup
from threads.models import Chapter, Character, Post, Revision, Story, User

TEXT = "A *quiet* coast"
HTML = "<p>A <em>quiet</em> coast</p>"
NEW_TEXT = "A **loud** harbour and more"
NEW_HTML = "<p>A <strong>loud</strong> harbour and more</p>"

_seq = count(1)


@dataclass
class Spec:
    """One model with rendered Markdown: how to build an unsaved row of it for ``cast``,
    its source and HTML fields, and a field to save that has nothing to do with the text."""

    model: type
    build: Callable
    source: str
    html: str
    unrelated: str
    unrelated_value: object

    def __str__(self):
        return self.model.__name__


def _post(cast, **fields):
    number = 100 + next(_seq)
    return Post(scene=cast.scene, number=number, author=cast.mira, kind="narration", **fields)


def _revision(cast, **fields):
    post = make_post(cast.scene, author=cast.mira)
    return Revision(post=post, number=10 + next(_seq), editor=cast.mira, **fields)


SPECS = [
    Spec(
        Character,
        lambda cast, text: Character(
            owner=cast.mira, name="Vera", slug=f"vera-{next(_seq)}", description=text
        ),
        "description",
        "description_html",
        "tagline",
        "A ferrywoman",
    ),
    Spec(
        Story,
        lambda cast, text: Story(title="Coast", slug=f"coast-{next(_seq)}", summary=text),
        "summary",
        "summary_html",
        "status",
        Story.Status.COMPLETE,
    ),
    Spec(
        Chapter,
        lambda cast, text: Chapter(
            story=cast.story, number=10 + next(_seq), title="Tide", summary=text
        ),
        "summary",
        "summary_html",
        "title",
        "Ebb",
    ),
    Spec(
        Post, lambda cast, text: _post(cast, body=text), "body", "body_html", "status", "rejected"
    ),
    Spec(
        Revision,
        lambda cast, text: _revision(cast, body=text),
        "body",
        "body_html",
        "status",
        Revision.Status.REJECTED,
    ),
    Spec(
        User,
        lambda cast, text: User(username=f"reader{next(_seq)}", bio=text),
        "bio",
        "bio_html",
        "display_name",
        "Rea",
    ),
]


@pytest.fixture(params=SPECS, ids=str)
def spec(request):
    return request.param


@pytest.fixture
def renders(monkeypatch):
    """The texts passed to markup.render from here on, in order."""
    texts = []
    real_render = markup.render

    def counting_render(text):
        texts.append(text)
        return real_render(text)

    monkeypatch.setattr(markup, "render", counting_render)
    return texts


@pytest.fixture
def saved(spec, cast):
    """A row of the spec's model with TEXT as its source, loaded afresh from the database."""
    instance = spec.build(cast, TEXT)
    instance.save()
    return spec.model.objects.get(pk=instance.pk)


def stored_html(spec, instance):
    return spec.model.objects.values_list(spec.html, flat=True).get(pk=instance.pk)


def test_saving_an_unrelated_field_does_not_render(spec, saved, renders):
    setattr(saved, spec.unrelated, spec.unrelated_value)
    saved.save(update_fields=[spec.unrelated])
    assert renders == []
    saved.refresh_from_db()
    assert getattr(saved, spec.unrelated) == spec.unrelated_value
    assert getattr(saved, spec.html) == HTML


def test_a_whole_save_with_the_text_unchanged_does_not_render(spec, saved, renders):
    setattr(saved, spec.unrelated, spec.unrelated_value)
    saved.save()
    assert renders == []
    assert stored_html(spec, saved) == HTML


def test_a_changed_text_left_out_of_update_fields_is_neither_rendered_nor_saved(
    spec, saved, renders
):
    setattr(saved, spec.source, NEW_TEXT)
    setattr(saved, spec.unrelated, spec.unrelated_value)
    saved.save(update_fields=[spec.unrelated])
    assert renders == []
    assert stored_html(spec, saved) == HTML
    # Saved with its source later, the text is rendered then.
    saved.save(update_fields=[spec.source])
    assert renders == [NEW_TEXT]
    assert stored_html(spec, saved) == NEW_HTML


def test_changing_the_text_renders_it_under_update_fields(spec, saved, renders):
    setattr(saved, spec.source, NEW_TEXT)
    saved.save(update_fields=[spec.source])
    assert renders == [NEW_TEXT]
    assert stored_html(spec, saved) == NEW_HTML
    # Saved again unchanged, it is not rendered a second time.
    saved.save()
    assert renders == [NEW_TEXT]


def test_changing_the_text_renders_it_on_a_whole_save(spec, saved, renders):
    setattr(saved, spec.source, NEW_TEXT)
    saved.save()
    assert renders == [NEW_TEXT]
    assert stored_html(spec, saved) == NEW_HTML


def test_a_new_row_is_rendered_when_first_saved(spec, cast, renders):
    instance = spec.build(cast, TEXT)
    instance.save()
    assert TEXT in renders
    assert stored_html(spec, instance) == HTML


def test_the_bulk_form_renders_unsaved_rows(spec, cast):
    instances = [spec.build(cast, TEXT), spec.build(cast, NEW_TEXT)]
    for instance in instances:
        markup.render_markdown_fields(instance)
    created = spec.model.objects.bulk_create(instances)
    html = spec.model.objects.filter(pk__in=[row.pk for row in created])
    assert sorted(html.values_list(spec.html, flat=True)) == sorted([HTML, NEW_HTML])


def test_a_refreshed_text_counts_as_saved(spec, saved, renders):
    # Another process changed the text; the refreshed instance must not render it again.
    spec.model.objects.filter(pk=saved.pk).update(**{spec.source: NEW_TEXT})
    saved.refresh_from_db(fields=[spec.source])
    saved.save()
    assert renders == []


# Posts: the word count follows the text ------------------------------------------------


def test_a_post_word_count_follows_its_text_under_update_fields(cast):
    post = Post.objects.get(pk=make_post(cast.scene, author=cast.mira, body=TEXT).pk)
    assert post.word_count == 3
    post.body = NEW_TEXT
    post.save(update_fields=["body"])
    assert Post.objects.get(pk=post.pk).word_count == 5


def test_a_post_loaded_without_its_text_saves_without_rendering(cast, renders):
    post = make_post(cast.scene, author=cast.mira, body=TEXT)
    renders.clear()
    deferred = Post.objects.defer("body", "body_html").get(pk=post.pk)
    deferred.status = Post.Status.REJECTED
    deferred.save()
    assert renders == []
    post.refresh_from_db()
    assert (post.status, post.body_html, post.word_count) == ("rejected", HTML, 3)


def test_a_decision_on_a_post_at_the_length_limit_does_not_render_it_again(cast, renders):
    long_text = "word " * 20_000  # 100,000 characters, the post limit
    post = Post.objects.get(pk=make_post(cast.scene, author=cast.mira, body=long_text).pk)
    revision = post.revisions.get()
    renders.clear()
    post.status = Post.Status.REJECTED
    post.save(update_fields=["status"])
    revision.status = Revision.Status.REJECTED
    revision.save(update_fields=["status"])
    assert renders == []
