"""The persona fixtures are one set: asking for the cast and for its people gives the same
people, the same story and the same characters, never a second Mira."""

from threads.models import User


def test_the_cast_is_made_of_the_persona_fixtures(
    cast, owner, cowriter, story, owner_character, cowriter_character
):
    assert (cast.mira, cast.teo, cast.story) == (owner, cowriter, story)
    assert (cast.aleksei, cast.lucia) == (owner_character, cowriter_character)
    assert list(
        cast.scene.participants.order_by("position").values_list("character", flat=True)
    ) == [
        owner_character.pk,
        cowriter_character.pk,
    ]


def test_the_cast_combines_with_the_stranger_and_the_moderator(cast, stranger, moderator):
    assert sorted(User.objects.values_list("username", flat=True)) == [
        "mira",
        "moss",
        "sasha",
        "teo",
    ]
