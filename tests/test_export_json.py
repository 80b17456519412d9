"""The JSON archive: the owner's backup restores losslessly, under new ids, and all or
nothing."""

import json

import pytest

from tests.export_story import HIDDEN, make_told_story
from threads.interchange import archive, restore
from threads.interchange.reader_copy import reader_copy
from threads.models import Character, Membership, Post, Revision, Story, User


@pytest.fixture
def told(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_told_story()


def wipe_database():
    """Empty the site, as a fresh database would be."""
    Post.objects.all().delete()
    Story.objects.all().delete()
    Character.objects.all().delete()
    User.objects.all().delete()


def site_size():
    models = (User, Story, Membership, Character, Post, Revision)
    return {model.__name__: model.objects.count() for model in models}


def test_backup_imported_into_an_empty_database_exports_the_same_bytes(told):
    first = archive.dumps(archive.backup(told.story))
    wipe_database()
    restored = restore.import_story(restore.load(first))
    assert archive.dumps(archive.backup(restored)) == first


def test_backup_holds_what_readers_never_see(told):
    text = archive.dumps(archive.backup(told.story))
    for marker in HIDDEN.values():
        assert marker in text
    data = json.loads(text)
    assert data["format"] == "rp-archive/1"
    assert [c["portrait_thumb"] is not None for c in data["characters"]] == [True, False]


def test_restore_beside_the_original_gets_new_ids_and_slugs(told):
    data = restore.load(archive.dumps(archive.backup(told.story)))
    copy = restore.import_story(data)
    assert copy.pk != told.story.pk and copy.slug != told.story.slug
    assert copy.word_count == told.story.word_count
    assert copy.memberships.get(role="owner").user == told.cast.mira
    assert Post.objects.filter(scene__chapter__story=copy).count() == 11


def test_missing_writers_come_back_as_placeholders_that_cannot_log_in(told):
    data = restore.load(archive.dumps(archive.backup(told.story)))
    wipe_database()
    restore.import_story(data)
    teo = User.objects.get(username="teo")
    assert teo.display_name == "Teo"
    assert not teo.has_usable_password()


@pytest.mark.parametrize(
    ("breakage", "named"),
    [
        (lambda d: d["chapters"][1]["scenes"][0]["posts"][0].update(kind="poem"), "chapters[1]"),
        (lambda d: d["chapters"][0]["scenes"][0]["posts"][2].pop("author"), "posts[2]"),
        (lambda d: d["chapters"][0]["scenes"][0]["posts"][1].update(number=1), "posts[1]"),
        (lambda d: d["characters"][0].update(portrait_thumb="bm90IGEgcGljdHVyZQ=="), "char"),
        (lambda d: d["chapters"][2]["scenes"][0].update(turn_mode="chaos"), "scenes[0]"),
        (lambda d: d["memberships"][1].update(role="king"), "memberships[1]"),
    ],
)
def test_broken_archive_saves_nothing_and_names_the_record(told, breakage, named):
    data = restore.load(archive.dumps(archive.backup(told.story)))
    breakage(data)
    before = site_size()
    with pytest.raises(restore.ArchiveError) as error:
        restore.import_story(data)
    assert named in str(error.value)
    assert site_size() == before


def test_restore_refuses_what_is_not_an_archive(db):
    with pytest.raises(restore.ArchiveError, match="line 1"):
        restore.load(b"{not json")
    with pytest.raises(restore.ArchiveError, match="rp-archive/1"):
        restore.load('{"format": "something-else/2"}')


def test_restore_refuses_the_public_copy(told):
    data = restore.load(archive.dumps(archive.public(reader_copy(told.story, None))))
    before = site_size()
    with pytest.raises(restore.ArchiveError, match="owner's full backup"):
        restore.import_story(data)
    assert site_size() == before
