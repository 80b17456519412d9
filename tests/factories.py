"""Plain factory functions with sensible defaults. Each saves what it returns."""

from dataclasses import dataclass
from itertools import count

from django.utils import timezone

from threads.models import (
    Chapter,
    Character,
    Membership,
    Post,
    Revision,
    Scene,
    Story,
    User,
)
from threads.writing import frontier, structure

_seq = count(1)

PASSWORD = "correct-horse-battery"


def make_user(username=None, confirmed=True, **fields):
    """A user whose e-mail address is confirmed, unless ``confirmed=False``: a new account
    that has not yet followed its confirmation link."""
    username = username or f"writer{next(_seq)}"
    fields.setdefault("email", f"{username}@example.test")
    if confirmed:
        fields.setdefault("email_confirmed_at", timezone.now())
    return User.objects.create_user(username=username, password=PASSWORD, **fields)


def make_moderator(username="moss", **fields):
    """A staff user in the Moderators group."""
    from threads.moderation import moderators_group

    user = make_user(username, is_staff=True, **fields)
    user.groups.add(moderators_group())
    return user


def make_story(owner=None, members=(), **fields):
    """A story with an active owner membership, plus active memberships for ``members``."""
    owner = owner or make_user()
    fields.setdefault("title", f"Story {next(_seq)}")
    fields.setdefault("visibility", Story.Visibility.PUBLIC)
    story = structure.create_story(owner, **fields)
    for member in members:
        Membership.objects.create(
            story=story,
            user=member,
            role=Membership.Role.CO_WRITER,
            status=Membership.Status.ACTIVE,
        )
    return story


def make_narrator(story, username="nora", **fields):
    """A user with an active narrator's membership of ``story``."""
    narrator = make_user(username, **fields)
    Membership.objects.create(
        story=story, user=narrator, role=Membership.Role.NARRATOR, status=Membership.Status.ACTIVE
    )
    return narrator


def make_chapter(story=None, **fields):
    """A chapter, published unless ``is_published`` says otherwise, after the last one."""
    story = story or make_story()
    if "title" not in fields:
        fields["title"] = f"Chapter {structure.next_chapter_number(story)}"
    fields.setdefault("is_published", True)
    return structure.add_chapter(story, **fields)


def make_scene(chapter=None, characters=(), **fields):
    """A scene after the last one in ``chapter``, with ``characters`` in posting order."""
    chapter = chapter or make_chapter()
    if "title" not in fields:
        fields["title"] = f"Scene {structure.next_scene_position(chapter)}"
    return structure.add_scene(chapter, cast=characters, **fields)


def make_character(owner=None, **fields):
    owner = owner or make_user()
    fields.setdefault("name", f"Character {next(_seq)}")
    return Character.objects.create(owner=owner, **fields)


def make_post(scene, author=None, character=None, **fields):
    """A post written straight into the database, numbered next in its scene, with its
    first revision. The scene's reading frontier moves as on the real submission path:
    approved posts before it are published and their words counted."""
    author = author or (character.owner if character else make_user())
    fields.setdefault("status", Post.Status.APPROVED)
    fields.setdefault("kind", Post.Kind.IN_CHARACTER if character else Post.Kind.NARRATION)
    fields.setdefault("body", "A few words of story.")
    last = scene.posts.order_by("-number").values_list("number", flat=True).first() or 0
    post = Post.objects.create(
        scene=scene, number=last + 1, author=author, character=character, **fields
    )
    Revision.objects.create(post=post, number=1, body=post.body, editor=author)
    frontier.refresh(scene.pk, now=post.created_at)
    post.refresh_from_db(fields=["published_at"])
    return post


def make_pending_post(scene, character=None, **fields):
    """A post waiting for a moderator, as an untrusted writer's submission would."""
    return make_post(scene, character=character, status=Post.Status.PENDING, **fields)


@dataclass
class Cast:
    """Mira owns the story and writes Aleksei; Teo co-writes it and writes Lucia. Their
    characters take part, Aleksei first, in the one scene of the story's first chapter."""

    mira: User
    teo: User | None
    story: Story
    aleksei: Character
    lucia: Character | None
    chapter: Chapter
    scene: Scene


def make_cast(
    *,
    solo=False,
    lucia=True,
    names=("Aleksei", "Lucia"),
    story_title=None,
    scene_title=None,
    mira=None,
    teo=None,
    story=None,
    aleksei=None,
    **scene_fields,
):
    """The two writers most tests need (see ``Cast``), in a round-robin scene unless
    ``turn_mode`` says otherwise. ``solo`` leaves Mira writing alone (no Teo, no Lucia);
    ``lucia=False`` keeps Teo in the story with no character of his. ``names`` renames the
    characters; other keywords go to the scene.

    ``mira``, ``teo``, ``story`` (Mira's, with Teo a member), ``aleksei`` and ``lucia`` (a
    Character) may be given already made, and are then used rather than made: the persona
    fixtures in tests/conftest.py are, so a test can ask for ``cast`` and ``owner`` alike."""
    mira = mira or make_user("mira", display_name="Mira")
    teo = None if solo else teo or make_user("teo", display_name="Teo")
    if story is None:
        story_fields = {"title": story_title} if story_title else {}
        story = make_story(owner=mira, members=[teo] if teo else [], **story_fields)
    aleksei = aleksei or make_character(mira, name=names[0])
    if not isinstance(lucia, Character):
        lucia = make_character(teo, name=names[1]) if teo and lucia else None
    chapter = make_chapter(story)
    if scene_title:
        scene_fields["title"] = scene_title
    players = [aleksei, lucia] if lucia else [aleksei]
    scene = make_scene(chapter, characters=players, **scene_fields)
    return Cast(mira, teo, story, aleksei, lucia, chapter, scene)
