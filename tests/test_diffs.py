"""The one diff (threads.lib.diffs) the admin and a post's history share: word by word where
that is cheap, coarser where it is not, and escaped throughout. What is tested is which diff
a text gets, not how long it takes: `make bench` times the 100,000-character edit."""

from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from tests.factories import make_post
from threads.admin.common import word_diff
from threads.lib import diffs
from threads.lib.diffs import DELETE, EQUAL, INSERT, diff_html, diff_pieces
from threads.models import Revision


def paragraph(n):
    return f"Paragraph {n} of the long post, with a few more words.\n\n"


def paragraphs(count):
    return "".join(paragraph(n) for n in range(count))


def test_a_short_edit_is_shown_word_by_word():
    assert diff_pieces("Corwin waited by the gate.", "Corwin waited by the door.") == [
        (EQUAL, "Corwin waited by the "),
        (DELETE, "gate."),
        (INSERT, "door."),
    ]


def test_a_replaced_word_reads_apart_from_its_replacement():
    html = diff_html("Corwin waited by the gate", "Corwin waited by the door")
    assert html == "Corwin waited by the <del>gate</del> <ins>door</ins>"


def test_a_one_word_edit_of_a_long_post_still_shows_just_that_word():
    old = "word " * 20_000
    new = old[:50_000] + "changed " + old[50_005:]
    deleted = [text for operation, text in diff_pieces(old, new) if operation == DELETE]
    assert deleted == ["word "]


def test_a_long_text_changed_throughout_gets_the_coarse_line_diff():
    old = paragraphs(900)
    new = "".join(paragraph(f"{n}b" if n % 2 else n) for n in range(900))
    pieces = diff_pieces(old, new)
    assert len(old.split()) * len(new.split()) > diffs.WORD_BUDGET
    # Whole paragraphs go and come, rather than the one word changed within each.
    assert (DELETE, paragraph(3)) in pieces
    assert (INSERT, paragraph("3b")) in pieces
    assert (EQUAL, paragraph(4)) in pieces
    assert_pieces_make(pieces, old, new)


def test_past_the_line_budget_the_changed_part_is_one_replaced_block():
    head, tail = "Same start.\n" * 50, "\nSame end." * 50
    old = head + "\n".join(f"line {n}" for n in range(20_000)) + tail
    new = head + "\n".join(f"line {n}!" for n in range(20_000)) + tail
    pieces = diff_pieces(old, new)
    assert [operation for operation, _text in pieces] == [EQUAL, DELETE, INSERT, EQUAL]
    assert pieces[0] == (EQUAL, head + "line ")
    assert pieces[-1] == (EQUAL, tail.removeprefix("\n"))
    assert_pieces_make(pieces, old, new)


def assert_pieces_make(pieces, old, new):
    assert "".join(text for operation, text in pieces if operation != INSERT) == old
    assert "".join(text for operation, text in pieces if operation != DELETE) == new


def test_every_piece_of_text_is_escaped():
    html = diff_html('<p onclick="x()">Old</p> & more', '<script>alert("new")</script> & more')
    assert isinstance(html, SafeString)
    assert "<script>" not in html and "<p " not in html
    assert "&lt;script&gt;" in html and "&lt;p onclick=" in html and "&amp; more" in html


def test_a_long_text_is_escaped_in_its_coarse_diff_too():
    old = paragraphs(900)
    new = old.replace(" of the long post", "<b> of the long post")
    html = diff_html(old, new)
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_context_keeps_a_few_words_around_a_change():
    old = " ".join(f"w{n}" for n in range(200))
    new = old.replace("w100 ", "changed ")
    text = strip_tags(diff_html(old, new, context=3))
    assert text == " … w97 w98 w99 w100 changed w101 w102 w103  … "


def test_the_admin_shows_the_one_diff_in_its_box():
    expected = '<div class="rp-diff">a <del>b</del> <ins>c</ins></div>'
    assert word_diff("a b", "a c") == expected


def test_the_post_history_shows_a_long_edit_as_the_coarse_diff(client, cast):
    old = paragraphs(900)
    new = "".join(paragraph(f"{n}b" if n % 2 else n) for n in range(900))
    post = make_post(cast.scene, character=cast.aleksei, body=old)
    Revision.objects.create(post=post, number=2, body=new, editor=cast.mira)
    client.force_login(cast.teo)
    page = client.get(reverse("post_history", args=[post.pk])).content.decode()
    assert "<del>Paragraph 3 of the long post, with a few more words.</del>" in page
    assert "<ins>Paragraph 3b of the long post, with a few more words.</ins>" in page
