"""Plain factory functions with sensible defaults. Each returns a saved object."""

from itertools import count

from threads.models import (
    Chapter,
    Character,
    Membership,
    Participant,
    Post,
    Revision,
    Scene,
    Story,
    User,
)

_seq = count(1)

PASSWORD = "correct-horse-battery"


def make_user(username=None, **fields):
    username = username or f"writer{next(_seq)}"
    fields.setdefault("email", f"{username}@example.test")
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
    story = Story.objects.create(**fields)
    Membership.objects.create(
        story=story, user=owner, role=Membership.Role.OWNER, status=Membership.Status.ACTIVE
    )
    for member in members:
        Membership.objects.create(
            story=story,
            user=member,
            role=Membership.Role.CO_WRITER,
            status=Membership.Status.ACTIVE,
        )
    return story


def make_chapter(story=None, **fields):
    story = story or make_story()
    fields.setdefault("number", (story.chapters.count() + 1))
    fields.setdefault("title", f"Chapter {fields['number']}")
    fields.setdefault("is_published", True)
    return Chapter.objects.create(story=story, **fields)


def make_scene(chapter=None, characters=(), **fields):
    chapter = chapter or make_chapter()
    fields.setdefault("position", chapter.scenes.count() + 1)
    fields.setdefault("title", f"Scene {fields['position']}")
    scene = Scene.objects.create(chapter=chapter, **fields)
    for position, character in enumerate(characters, start=1):
        Participant.objects.create(scene=scene, character=character, position=position)
    return scene


def make_character(owner=None, **fields):
    owner = owner or make_user()
    fields.setdefault("name", f"Character {next(_seq)}")
    return Character.objects.create(owner=owner, **fields)


def make_post(scene, author=None, character=None, **fields):
    """A post written straight into the database, numbered next in its scene, with its
    first revision. Approved posts add their words to the cached counts, as the real
    submission path does."""
    author = author or (character.owner if character else make_user())
    fields.setdefault("status", Post.Status.APPROVED)
    fields.setdefault("kind", Post.Kind.IN_CHARACTER if character else Post.Kind.NARRATION)
    fields.setdefault("body", "A few words of story.")
    last = scene.posts.order_by("-number").values_list("number", flat=True).first() or 0
    post = Post.objects.create(
        scene=scene, number=last + 1, author=author, character=character, **fields
    )
    Revision.objects.create(post=post, number=1, body=post.body, editor=author)
    if post.counts_in_story:
        post.shift_story_counts(post.word_count, now=post.created_at)
    return post
