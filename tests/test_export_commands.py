"""The export and import commands: one story to a file and back, and a whole site."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.export_story import HIDDEN, make_told_story
from tests.factories import make_chapter, make_post, make_scene, make_story, make_user
from tests.test_export_json import site_size, wipe_database
from threads.models import Story


@pytest.fixture
def told(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_told_story()


@pytest.mark.parametrize("fmt", ["epub", "html", "md"])
def test_export_story_writes_what_readers_see(told, tmp_path, fmt):
    output = tmp_path / f"story.{fmt}"
    call_command("export_story", told.story.slug, "--format", fmt, "--output", str(output))
    assert output.stat().st_size > 0
    if fmt != "epub":
        assert HIDDEN["pending"] not in output.read_text()


def test_export_story_then_import_story_restores_the_backup(told, tmp_path):
    output = tmp_path / "story.json"
    call_command("export_story", told.story.slug, "--format", "json", "--output", str(output))
    assert json.loads(output.read_text())["variant"] == "backup"
    call_command("import_story", str(output))
    assert Story.objects.filter(title="The Lantern Road").count() == 2


def test_export_story_names_an_unknown_slug(db, tmp_path):
    with pytest.raises(CommandError, match="no-such-story"):
        call_command("export_story", "no-such-story", "--output", str(tmp_path / "x.json"))


def test_whole_site_moves_through_export_all_and_import_all(told, tmp_path):
    make_told_story_elsewhere()
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export_all", str(first))
    wipe_database()
    call_command("import_all", str(first))
    call_command("export_all", str(second))
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir()) and len(names) == 2
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_import_all_saves_nothing_when_one_file_is_broken(told, tmp_path):
    call_command("export_all", str(tmp_path))
    (tmp_path / "zz-broken.json").write_text('{"format": "rp-archive/1", "variant": "backup"}')
    before = site_size()
    named = "zz-broken.json: story: missing field 'story'"
    with pytest.raises(CommandError, match=named):
        call_command("import_all", str(tmp_path))
    assert site_size() == before


def make_told_story_elsewhere():
    """A second story by other writers, so the site holds more than one."""
    rin = make_user("rin", display_name="Rin")
    story = make_story(owner=rin, title="Salt and Iron")
    make_post(make_scene(make_chapter(story)), author=rin, body="The forge was cold.")
    return story
