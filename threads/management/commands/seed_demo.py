"""Load the demo archive: two writers, a moderator, three characters and one story.

Idempotent: when the demo story already exists, nothing changes.
"""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from threads import moderation
from threads.management import demo_text
from threads.models import (
    Character,
    ContentWarning,
    Membership,
    Post,
    Rating,
    Scene,
    Story,
    User,
)
from threads.moderation import moderators_group
from threads.writing import posting, structure

DEMO_PASSWORD = "rp-archive-demo"  # noqa: S105 - a published demo login, not a secret
WRITERS = {
    "ines": {
        "display_name": "Inès",
        "pronouns": "she/her",
        "is_trusted": True,
        "bio": "Writes lighthouses, weather and people who refuse to give up.",
    },
    "kofi": {
        "display_name": "Kofi",
        "pronouns": "he/him",
        "bio": "Here for charming liars and *very* slow burns.",
    },
}
MODERATOR = "quill"
# Library: the demo's reader-insert story (threads/library), written for this archive.
READER_INSERT_STORY = {
    "story": {
        "title": "Eighty-One Stones",
        "summary": "A ferry leaves Y/N at Saltmere with one bag and a letter for the lighthouse "
        "keeper. A story written for you: set your name and it appears in the text.",
        "rating": Rating.GENERAL,
        "warnings": [ContentWarning.NONE_APPLY],
        "visibility": Story.Visibility.PUBLIC,
        "reader_insert": True,
    },
    "chapter": {"title": "The Far Side of the Tide", "summary": "You arrive, {{user}}."},
    "scenes": [
        (
            "The Landing",
            "Saltmere harbour, at dusk",
            [
                (
                    False,
                    "The ferry bumps the pier twice before it settles, as if unsure about "
                    "leaving you here. You step onto wet planks with one bag and a letter "
                    "whose envelope says only *Y/N, care of the lighthouse*.\n\nNobody told "
                    "you the lighthouse stands on the far side of the tide.",
                ),
                (
                    True,
                    "“You'll be {{user}}, then.” He tips a hat too good for the weather. “The "
                    "keeper said to expect someone who looked lost. You look exactly lost "
                    "enough.”",
                ),
                (
                    False,
                    "He offers to carry your bag. You decide, for now, to let him carry only "
                    "the lantern.",
                ),
            ],
        ),
        (
            "The Causeway",
            "The causeway, as the tide turns",
            [
                (True, "“Walk where the stones are dark, Y/N. The pale ones are lying to you.”"),
                (
                    False,
                    "The water hisses in on both sides. Halfway across you realise he has been "
                    "counting your steps under his breath, and that he stopped when you did.",
                ),
                (True, "“Eighty-one,” he says. “The keeper's number. You'll want to remember it.”"),
            ],
        ),
    ],
}
# Tags: short stories written for the demo, so the tag index has something to size.
TAGGED_STORIES = [
    {
        "story": {
            "title": "Weather for Gulls",
            "summary": "Marisol keeps the storm log the night the glass falls faster than "
            "it ever has.",
            "tags": ["lighthouse", "storms", "found fam"],
            "rating": Rating.GENERAL,
            "warnings": [ContentWarning.NONE_APPLY],
        },
        "chapter": "Falling Glass",
        "scene": "The Lamp Room",
        "cast": ["marisol"],
        "posts": [
            (
                None,
                "The barometer dropped a full inch before supper. By nine the gulls had "
                "stopped complaining and simply sat on the gallery rail, facing the sea.",
            ),
            (
                "marisol",
                "“Log it,” she told herself, and wrote the pressure in a hand that "
                "only shook a little. Then she trimmed the wick again, for something to do.",
            ),
        ],
    },
    {
        "story": {
            "title": "The Quiet Ledger",
            "summary": "Tamsin teaches an apprentice to read a harbour book, and what its "
            "blank lines say.",
            "tags": ["mystery", "mentor", "found family"],
            "rating": Rating.TEEN,
            "warnings": [ContentWarning.NONE_APPLY],
        },
        "chapter": "Blank Lines",
        "scene": "The Harbour Office",
        "cast": ["tamsin", "marisol"],
        "posts": [
            (
                "tamsin",
                "“Every ship that comes in, a line. Every ship that doesn't, no line. "
                "The trick is noticing which nights have no lines and should.”",
            ),
            (
                "marisol",
                "Marisol ran a finger down March. Three nights in a row, nothing, "
                "and the weather had been fine.",
            ),
        ],
    },
    {
        "story": {
            "title": "Salt and Stormlight",
            "summary": "A wreck, a rescue, and a lantern nobody lit.",
            "tags": ["storms", "lighthouse", "shipwreck"],
            "rating": Rating.MATURE,
            "warnings": [ContentWarning.VIOLENCE],
        },
        "chapter": "The Rocks Below Carrow",
        "scene": "The Shingle",
        "cast": ["marisol"],
        "posts": [
            (
                None,
                "The brig came apart on the rocks an hour before dawn, and the sea was "
                "loud with timber.",
            ),
            (
                "marisol",
                "She went down the cliff path with a rope over one shoulder and the "
                "lamp in her teeth, because there was nobody else to go.",
            ),
        ],
    },
]
DEMO_DEADLINE_DAYS = 7
# The reading frontier: Tamsin's answer to Kofi's pending turn, written for the demo.
HELD_ANSWER = (
    "Tamsin watched him from the window until the fog took him. Then she turned the ledger "
    "back a page, and another, to a line in a hand that was not hers: *Light out, three "
    "nights. Paid.*"
)


def portrait_png(initials, colour, size):
    """A round portrait with the character's initials, drawn in code."""
    image = Image.new("RGB", (size, size), (245, 240, 232))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=colour)
    font = ImageFont.load_default(size=size // 3)
    draw.text((size / 2, size / 2), initials, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


# Imported in the demo (threads/interchange/): a chapter as copied off a reading site,
# with the site's chrome around it, and a greeting. Written for the demo.
IMPORTED_CHAPTER = """The Salt ClockWhere stories live. Discover now
1.4K 96 12

Chapter One: Low Tide

Vesna counted the boats at the mole — *eleven*, not twelve.

The harbour bell had not rung all morning.


“The twelfth went out before dawn,” Aleksei said, not looking up from his nets. “Alone.”


“Then someone watched it go.” She turned her collar against the wind. “Who?”
Continue reading next part
"""
TAMSIN_GREETING = (
    "*The lamp on the counter gutters as you come in out of the rain.*\n\n"
    "“Shut the door, the maps don't like the damp. Now — where is it you can't find?”"
)


class Command(BaseCommand):
    help = "Load the demo archive (safe to run twice)."

    def handle(self, *args, **options):
        if Story.objects.filter(title=demo_text.STORY["title"]).exists():
            self.stdout.write("The demo archive is already loaded.")
        else:
            # Loaded quietly: the turn and moderation e-mails of thirty posts would bury
            # the logins below in the console.
            quiet = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
            with quiet, transaction.atomic():
                self._load()
            self.stdout.write(self.style.SUCCESS("Loaded the demo archive."))
        self._print_logins()

    def _load(self):
        users = {name: self._user(name, **fields) for name, fields in WRITERS.items()}
        self.moderator = self._moderator()
        characters = self._characters(users)
        story = self._story(users)
        for chapter_data in demo_text.CHAPTERS:
            self._chapter(story, chapter_data, users, characters)
        self._pending_posts(story, users, characters)
        self._held_post(story, users, characters)
        self._turn_deadline(story)
        self._reader_insert_story(users, characters["corwin"], story)
        self._imports(users, characters)
        self._tagged_stories(users, characters)
        self._search_index()
        self._confirmed_addresses()
        self._comments(users, story)

    def _comments(self, users, story):
        """Comments: Wren, a reader with no part in the story, comments on chapter 1 (one
        approved, with Ines's reply; one waiting in the moderators' queue) and follows the
        story by daily digest."""
        from threads.library import comments, subscriptions

        wren = self._user("wren", display_name="Wren", email_confirmed_at=timezone.now())
        chapter = story.chapters.published().order_by("number").first()
        first = comments.submit(
            chapter,
            wren,
            "Marisol answering Corwin with *silence* was the best line of the chapter.",
        )
        first = comments.approve(first, self.moderator)
        comments.submit(
            chapter,
            User.objects.get(username="ines"),  # confirmed above, since users were read
            "Thank you! She has a lot more silence in her, and a few words.",
            parent=first,
        )
        comments.submit(
            chapter, wren, "Is Corwin telling the truth about the letter? I have a theory."
        )
        subscriptions.subscribe(wren, story, "digest")

    def _confirmed_addresses(self):
        # The demo writers and moderator log in and write at once: their addresses count as
        # confirmed (a new account confirms its own by the link e-mailed at sign-up).
        User.objects.filter(email_confirmed_at=None, is_placeholder=False).update(
            email_confirmed_at=timezone.now()
        )

    def _turn_deadline(self, story):
        # Marisol (Ines, the demo writer) is up in chapter 2's first scene: the newcomer sees
        # "Turn ends in 7 days" there and on the dashboard, and run_turn_deadlines has work
        # to show once a week has passed.
        scene = Scene.objects.get(chapter__story=story, chapter__number=2, position=1)
        structure.edit_scene(scene, turn_deadline_days=DEMO_DEADLINE_DAYS)

    def _user(self, username, **fields):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, f"{username}@example.com", DEMO_PASSWORD, **fields
            )
        return user

    def _moderator(self):
        user = self._user(MODERATOR, display_name="Quill", is_staff=True)
        user.groups.add(moderators_group())
        return user

    def _characters(self, users):
        owners = {"marisol": "ines", "tamsin": "ines", "corwin": "kofi"}
        characters = {}
        for key, data in demo_text.CHARACTERS.items():
            fields = {k: v for k, v in data.items() if k != "colour"}
            character = Character.objects.create(owner=users[owners[key]], **fields)
            initials = character.initials
            character.portrait.save(
                f"{character.slug}.png", portrait_png(initials, data["colour"], 512), save=False
            )
            character.portrait_thumb.save(
                f"{character.slug}.png", portrait_png(initials, data["colour"], 96), save=False
            )
            character.save()
            characters[key] = character
        return characters

    def _story(self, users):
        data = demo_text.STORY
        story = structure.create_story(
            users["ines"],
            title=data["title"],
            summary=data["summary"],
            tags=data["tags"],
            rating=Rating.TEEN,
            warnings=[ContentWarning.VIOLENCE],
            visibility=Story.Visibility.PUBLIC,
        )
        Membership.objects.create(
            story=story,
            user=users["kofi"],
            role=Membership.Role.CO_WRITER,
            status=Membership.Status.ACTIVE,
            invited_by=users["ines"],
            responded_at=timezone.now(),
        )
        return story

    def _chapter(self, story, data, users, characters):
        chapter = structure.add_chapter(story, title=data["title"], summary=data["summary"])
        for scene_data in data["scenes"]:
            scene = structure.add_scene(
                chapter,
                title=scene_data["title"],
                setting=scene_data["setting"],
                turn_mode=Scene.TurnMode.ROUND_ROBIN,
                cast=[characters[key] for key in scene_data["participants"]],
            )
            for character_key, writer, text in scene_data["posts"]:
                kind = Post.Kind.IN_CHARACTER if character_key else Post.Kind.NARRATION
                post = self._post(scene, users[writer], characters.get(character_key), kind, text)
                if post.status == Post.Status.PENDING:
                    moderation.approve(post, self.moderator)
        chapter.set_published(True)
        # The opening scene is finished; the others are still being written.
        Scene.objects.filter(chapter=chapter, position=1, chapter__number=1).update(is_open=False)

    def _pending_posts(self, story, users, characters):
        for chapter_index, scene_index, character_key, writer, kind, text in demo_text.PENDING:
            scene = Scene.objects.get(
                chapter__story=story, chapter__number=chapter_index + 1, position=scene_index + 1
            )
            self._post(scene, users[writer], characters.get(character_key), kind, text)

    def _held_post(self, story, users, characters):
        """The reading frontier: Ines (trusted) answers Kofi's turn that waits for a
        moderator, so her answer is approved but held. Readers of chapter 1 see "The
        Harbourmaster's Book" stop before Kofi's post; Ines sees hers marked "Readers do not
        see this yet"; approving Kofi's post at /admin/ publishes both."""
        scene = Scene.objects.get(chapter__story=story, chapter__number=1, position=2)
        self._post(scene, users["ines"], characters["tamsin"], Post.Kind.IN_CHARACTER, HELD_ANSWER)

    def _post(self, scene, author, character, kind, body):
        """A turn through the real turn engine, so the demo keeps its rules."""
        return posting.submit_post(scene, author, kind, character, body)

    def _reader_insert_story(self, users, corwin, first_story):
        """Library: a short second-person story with reader-insert on, so a newcomer who
        sets a name sees it in the text, and a few kudos on both stories."""
        from threads.library import kudos

        story = structure.create_story(users["kofi"], **READER_INSERT_STORY["story"])
        chapter = structure.add_chapter(story, **READER_INSERT_STORY["chapter"])
        for title, setting, posts in READER_INSERT_STORY["scenes"]:
            scene = structure.add_scene(
                chapter, title=title, setting=setting, turn_mode=Scene.TurnMode.FREE, cast=[corwin]
            )
            for in_character, text in posts:
                kind = Post.Kind.IN_CHARACTER if in_character else Post.Kind.NARRATION
                post = self._post(
                    scene, users["kofi"], corwin if in_character else None, kind, text
                )
                moderation.approve(post, self.moderator)
        chapter.set_published(True)
        for reader in (users["ines"], self.moderator):
            kudos.give(story, user=reader)
        kudos.give(first_story, user=self.moderator)

    def _imports(self, users, characters):
        """An imported chapter whose characters wait to be claimed (Kofi has asked for
        Vesna's posts: Ines decides on the manage page), and a greeting on Tamsin's page."""
        from threads.interchange import claims, text_import
        from threads.interchange.plan import apply

        plan = text_import.parse(IMPORTED_CHAPTER.encode(), "blank-lines", ["Vesna", "Aleksei"])
        story = apply(plan, users["ines"], "The Salt Clock")
        Story.objects.filter(pk=story.pk).update(visibility=Story.Visibility.PUBLIC)
        imported = Character.objects.filter(owner__is_placeholder=True)
        for character, colour in zip(imported, [(61, 107, 122), (122, 90, 61)], strict=False):
            for field, size in (("portrait", 512), ("portrait_thumb", 96)):
                picture = portrait_png(character.initials, colour, size)
                getattr(character, field).save(f"{character.slug}.png", picture, save=False)
            character.save()
        vesna = imported.get(name="Vesna")
        claims.ask(story, vesna, users["kofi"], "I played Vesna on the old forum.")
        tamsin = characters["tamsin"]
        tamsin.greeting = TAMSIN_GREETING
        tamsin.save(update_fields=["greeting"])

    def _tagged_stories(self, users, characters):
        """Tags: three short stories and tagged characters, so /tags/ shows a cloud of some
        sizes on first run, and "found fam" wrangled as a synonym of "found family", so
        either finds the same stories."""
        from taggit.models import Tag

        from threads.discovery import tags

        for data in TAGGED_STORIES:
            story = structure.create_story(
                users["ines"], visibility=Story.Visibility.PUBLIC, **data["story"]
            )
            chapter = structure.add_chapter(story, title=data["chapter"])
            cast = [characters[key] for key in data["cast"]]
            scene = structure.add_scene(
                chapter, title=data["scene"], turn_mode=Scene.TurnMode.FREE, cast=cast
            )
            for character_key, text in data["posts"]:
                character = characters.get(character_key)
                kind = Post.Kind.IN_CHARACTER if character else Post.Kind.NARRATION
                self._post(scene, users["ines"], character, kind, text)
            chapter.set_published(True)
        for key, names in {"marisol": ["lighthouse", "apprentice"], "tamsin": ["mentor"]}.items():
            characters[key].tags.add(*names)
        characters["corwin"].tags.add("charming liar", "smugglers")
        family = Tag.objects.get(name="found family")
        tags.mark_canonical(family, self.moderator)
        tags.make_synonym(Tag.objects.get(name="found fam"), family, self.moderator, "One tag.")

    def _search_index(self):
        """Search: index everything loaded above in one pass, so the search box finds the
        demo's characters too (they are made here directly, not through the character form)."""
        from threads.discovery import indexing

        indexing.rebuild()

    def _print_logins(self):
        self.stdout.write(
            f"\nDemo logins (password for all: {DEMO_PASSWORD}):\n"
            "  ines   owns the demo story and writes Marisol and Tamsin; it is her turn\n"
            "  kofi   co-writes as Corwin; his posts wait for a moderator\n"
            "  quill  moderator: approve posts at /admin/\n"
        )
