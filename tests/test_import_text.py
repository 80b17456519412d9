"""Chapter text from a reading site: headings, site chrome, the four splits, all or nothing."""

import pytest
from django.core.management import CommandError, call_command

from threads.interchange import text_import
from threads.interchange.plan import ImportFailed, apply
from threads.models import Chapter, Character, Post, Story, User

# Written for these tests: a reading site's page around two short chapters.
CHAPTER_TEXT = """The Salt ClockWhere stories live. Discover now
2.4K 118 9

Chapter Seventy-Five: The Ferry

Vesna waited at the pier — *again* — and counted the gulls.

The ferry was late.


Aleksei came running. “Sorry,” he said, “the bridge was up.”


Vesna only shrugged.
Continue reading next part
Chapter 76 - Дорога домой

Дорога была длинной, а ветер — холодным.


Он молчал всю дорогу.
"""


def plan_of(text, split="blank-lines", characters=("Vesna", "Aleksei")):
    raw = text.encode() if isinstance(text, str) else text
    return text_import.parse(raw, split, characters)


def bodies(plan):
    return [(post.speaker, post.body) for post in plan.posts()]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Chapter Twelve: The Rain", (12, "The Rain")),
        ("Chapter Seventy-Five: The Ferry", (75, "The Ferry")),
        ("CHAPTER NINETY-NINE", (99, "")),
        ("Chapter One Hundred: The Last", (100, "The Last")),
        ("Chapter twenty one – Snow", (21, "Snow")),
        ("12: The Rain", (12, "The Rain")),
        ("Chapter 12 - The Rain", (12, "The Rain")),
        ("## Chapter 3. Ashes", (3, "Ashes")),
        ("3 12 5", None),
        ("Chapter and verse", None),
        ("He said: twelve", None),
    ],
)
def test_heading_gives_number_and_title(line, expected):
    assert text_import.heading(line) == expected


def test_chapters_take_the_headings_numbers_and_titles():
    plan = plan_of(CHAPTER_TEXT)
    assert [(c.number, c.title) for c in plan.chapters] == [
        (75, "The Ferry"),
        (76, "Дорога домой"),
    ]


def test_site_chrome_is_dropped_and_listed():
    plan = plan_of(CHAPTER_TEXT)
    assert plan.dropped == [
        ("line 1", "The Salt ClockWhere stories live. Discover now"),
        ("line 2", "2.4K 118 9"),
        ("line 15", "Continue reading next part"),
    ]
    assert not any("Continue reading" in body for _, body in bodies(plan))


def test_blank_lines_split_turns_and_single_blank_lines_keep_paragraphs():
    plan = plan_of(CHAPTER_TEXT)
    assert bodies(plan)[:3] == [
        (
            "Vesna",
            "Vesna waited at the pier — *again* — and counted the gulls.\n\nThe ferry was late.",
        ),
        ("Aleksei", "Aleksei came running. “Sorry,” he said, “the bridge was up.”"),
        ("Vesna", "Vesna only shrugged."),
    ]


def test_names_split_credits_each_named_turn():
    text = "Vesna: The tide is turning.\nShe pointed.\n\nAleksei: Then *we* wait.\n"
    plan = plan_of(text, "names")
    assert bodies(plan) == [
        ("Vesna", "The tide is turning.\nShe pointed."),
        ("Aleksei", "Then *we* wait."),
    ]


def test_paragraphs_split_alternates_one_post_per_paragraph():
    plan = plan_of("One.\n\nTwo.\n\nThree.\n", "paragraphs")
    assert bodies(plan) == [("Vesna", "One."), ("Aleksei", "Two."), ("Vesna", "Three.")]


def test_whole_split_is_one_narration_post():
    plan = plan_of("You wake.\n\n\nYou remember nothing.\n", "whole", ())
    assert [(p.speaker, p.kind, p.body) for p in plan.posts()] == [
        (None, Post.Kind.NARRATION, "You wake.\n\nYou remember nothing.")
    ]


def test_mixed_line_endings_split_alike():
    plan = plan_of("First turn.\r\n\r\n\r\nSecond turn.\r\r\rThird turn.\n\n\nFourth.")
    assert [body for _, body in bodies(plan)] == [
        "First turn.",
        "Second turn.",
        "Third turn.",
        "Fourth.",
    ]


def test_non_utf8_text_is_refused_naming_the_line():
    raw = b"Line one.\nLine two is caf" + b"\xe9.\n"
    with pytest.raises(ImportFailed, match=r"Line 2 is not UTF-8"):
        plan_of(raw)


def test_empty_file_is_refused():
    with pytest.raises(ImportFailed, match="nothing to import"):
        plan_of("\n\n  \n")


def test_huge_line_is_refused_naming_it(settings):
    settings.RP_MAX_POST_LENGTH = 1000
    with pytest.raises(ImportFailed, match=r"Line 4: the post would be 5,000 characters"):
        plan_of("Short.\n\n\n" + "ж" * 5000)


def test_alternating_splits_need_characters():
    with pytest.raises(ImportFailed, match="Name the characters"):
        plan_of("Text.", "blank-lines", ())


def test_apply_creates_the_story_with_placeholder_writers(owner):
    story = apply(plan_of(CHAPTER_TEXT), owner, "The Salt Clock")
    assert story.memberships.get().user == owner
    chapter = story.chapters.get(number=75)
    posts = list(Post.objects.filter(scene__chapter=chapter).select_related("author", "character"))
    assert [(p.number, p.character.name, p.author.display_name) for p in posts] == [
        (1, "Vesna", "Vesna"),
        (2, "Aleksei", "Aleksei"),
        (3, "Vesna", "Vesna"),
    ]
    vesna = posts[0].author
    assert vesna.is_placeholder and not vesna.is_active and not vesna.has_usable_password()
    assert all(p.is_published and p.is_approved for p in posts)
    assert "<em>again</em>" in posts[0].body_html and "—" in posts[0].body_html
    assert chapter.is_published and chapter.word_count == sum(p.word_count for p in posts)


def test_characters_the_owner_already_has_are_theirs(owner):
    Character.objects.create(owner=owner, name="Vesna")
    story = apply(plan_of(CHAPTER_TEXT), owner, "The Salt Clock")
    first = Post.objects.filter(scene__chapter__story=story).order_by("pk").first()
    assert (first.author, first.character.owner) == (owner, owner)


def test_import_into_a_story_of_someone_else_saves_nothing(owner, stranger, story):
    before = (Post.objects.count(), Chapter.objects.count(), User.objects.count())
    with pytest.raises(ImportFailed, match="not sasha's"):
        apply(plan_of(CHAPTER_TEXT), stranger, story.slug)
    assert (Post.objects.count(), Chapter.objects.count(), User.objects.count()) == before


def test_command_imports_and_dry_run_saves_nothing(owner, tmp_path, capsys):
    path = tmp_path / "salt.txt"
    path.write_text(CHAPTER_TEXT, encoding="utf-8")
    args = [path, "--owner", "mira", "--story", "The Salt Clock", "--characters", "Vesna,Aleksei"]
    call_command("import_text", *args, "--dry-run")
    out = capsys.readouterr().out
    assert "Chapter 75. The Ferry" in out and "Dropped (line 2): 2.4K 118 9" in out
    assert not Story.objects.filter(title="The Salt Clock").exists()
    call_command("import_text", *args, verbosity=0)
    story = Story.objects.get(title="The Salt Clock")
    assert Post.objects.filter(scene__chapter__story=story).count() == 5


def test_command_names_the_line_of_a_bad_file_and_saves_nothing(owner, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Fine.\n\n\nStill fine.\nBroken \xff here.\n")
    with pytest.raises(CommandError, match="Line 5 is not UTF-8"):
        call_command("import_text", path, "--owner", "mira", "--characters", "A,B")
    assert not Story.objects.exists() or not Post.objects.exists()
