import pytest

from tests.factories import make_cast, make_character, make_moderator, make_story, make_user

# The browser fixtures (browser, new_page) are shared by every browser test module.
pytest_plugins = ["tests.browser"]


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
    return make_story(owner=owner, members=[cowriter], title="The Lantern Road")


@pytest.fixture
def owner_character(owner):
    return make_character(owner=owner, name="Aleksei Varga")


@pytest.fixture
def cowriter_character(cowriter):
    return make_character(owner=cowriter, name="Lucia Ferro")


@pytest.fixture
def cast(db):
    """Mira (owner, Aleksei) and Teo (co-writer, Lucia) in a round-robin scene: a
    tests.factories.Cast. Not for use with the owner or cowriter fixtures, who are the same
    two people."""
    return make_cast()
