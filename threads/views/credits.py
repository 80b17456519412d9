"""The credits printed on every post (writer, character, portrait), worked out once per
writer and character on a page rather than once per post.

A 1,000-post chapter has two or three writers: reversing their URLs and reading their
names a thousand times each was most of what the post template cost. ``credit_posts``
attaches plain attributes the template prints without calling anything."""

from threads.models import Character, User


def credit_posts(posts):
    """Attach to each post (loaded with ``with_credits()`` or ``with_credit_columns()``) its
    ``anchor`` and its credit: ``author_name`` and ``author_url``, and for a post with a
    character ``character_name``, ``character_url``, ``portrait_url`` (empty without a
    portrait) and ``initials``. Returns the posts."""
    writers = {}
    characters = {}
    for post in posts:
        post.anchor = f"post-{post.scene_id}-{post.number}"
        writer = writers.get(post.author_id)
        if writer is None:
            writer = writers[post.author_id] = _writer_credit(_writer_of(post))
        post.author_name, post.author_url = writer
        if post.character_id is None:
            continue
        character = characters.get(post.character_id)
        if character is None:
            character = characters[post.character_id] = _character_credit(_character_of(post))
        post.character_name, post.character_url, post.portrait_url, post.initials = character
    return posts


def _writer_of(post):
    if not hasattr(post, "credit_username"):
        return post.author  # loaded with the post
    return User(
        pk=post.author_id, username=post.credit_username, display_name=post.credit_display_name
    )


def _character_of(post):
    if not hasattr(post, "credit_character_name"):
        return post.character  # loaded with the post
    return Character(
        pk=post.character_id,
        name=post.credit_character_name,
        slug=post.credit_character_slug,
        portrait_thumb=post.credit_portrait,
    )


def _writer_credit(user):
    return user.name, user.get_absolute_url()


def _character_credit(character):
    portrait = character.portrait_thumb.url if character.portrait_thumb else ""
    return (
        character.name,
        character.get_absolute_url(),
        portrait,
        character.initials,
    )
