"""The personas every pytest module shares, one set: Mira owns "The Lantern Road" and
writes Aleksei Varga; Teo co-writes it and writes Lucia Ferro; Sasha has an account and no
part in it; Moss moderates. ``cast`` puts Aleksei and Lucia in a round-robin scene of that
story and is built from the same fixtures, so a test may ask for ``cast`` and ``owner`` (or
``story``) together and get one Mira and one story. TestCase modules get the same two
writers from tests.cases (make_cast, with shorter character names)."""

import pytest
from django.core.cache import caches

from tests.factories import make_cast, make_character, make_moderator, make_story, make_user

# The browser fixtures (browser, new_page) are shared by every browser test module.
pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _empty_caches(settings):
    """Every test starts with empty caches: rate-limit counts (and anything else kept in
    the cache) never carry over from one test to the next."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def owner(db):
    """Mira owns the story."""
    return make_user("mira", display_name="Mira")


@pytest.fixture
def cowriter(db):
    """Teo writes in Mira's story."""
    return make_user("teo", display_name="Teo")


@pytest.fixture
def stranger(db):
    """Sasha has an account but no part in the story."""
    return make_user("sasha")


@pytest.fixture
def moderator(db):
    """Moss is staff and in the Moderators group."""
    return make_moderator("moss")


@pytest.fixture
def story(owner, cowriter):
    """Mira's story, with Teo an active co-writer; no chapters until a test adds them."""
    return make_story(owner=owner, members=[cowriter], title="The Lantern Road")


@pytest.fixture
def owner_character(owner):
    return make_character(owner=owner, name="Aleksei Varga")


@pytest.fixture
def cowriter_character(cowriter):
    return make_character(owner=cowriter, name="Lucia Ferro")


@pytest.fixture
def cast(owner, cowriter, story, owner_character, cowriter_character):
    """Aleksei and Lucia, in that order, in a round-robin scene of the story's first
    chapter: a tests.factories.Cast (cast.mira, cast.teo, cast.story, cast.aleksei,
    cast.lucia, cast.chapter, cast.scene), made of the fixtures above."""
    return make_cast(
        mira=owner, teo=cowriter, story=story, aleksei=owner_character, lucia=cowriter_character
    )
