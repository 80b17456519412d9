"""The shape of a story: creating it with its owner, adding, placing and moving its chapters
and scenes, and setting a scene's cast.

The views in threads/views/stories.py and threads/views/chapters.py decide who may call
these; seed_demo, the test factories, and later the importers and the JSON restore build
stories through them too, so a story is only ever shaped one way.

Chapter numbers are unique in a story and scene positions in a chapter, so placing one
means moving others out of its way. Every change runs in its own transaction
(threads.lib.locking) with the story row locked, which serialises all renumbering of one
story, and moves rows in an order where no two ever share a number: the unique constraints
hold after every single update instead of failing halfway through. Each function reads the
row it changes again under that lock, since someone may have just moved it. ``set_cast``
alone locks only the scene, as posting does, so nobody takes a turn while the order changes.
"""

from django.db.models import F, Max
from django.utils import timezone

from threads.discovery import indexing
from threads.lib.locking import run_in_transaction
from threads.library import outbox
from threads.models import Chapter, Membership, Participant, Scene, Story, generations

UP, DOWN = "up", "down"

# --- Stories -----------------------------------------------------------------------------


def create_story(owner, *, tags=(), **fields):
    """A new story with ``owner`` as its active owner member. ``fields`` are Story fields."""
    return run_in_transaction(_create_story, owner, tags, fields)


def _create_story(owner, tags, fields):
    story = Story.objects.create(**fields)
    if tags:
        story.tags.set(tags)
    Membership.objects.create(
        story=story,
        user=owner,
        role=Membership.Role.OWNER,
        status=Membership.Status.ACTIVE,
        responded_at=timezone.now(),
    )
    indexing.index_story(story.pk)  # its title and summary become searchable
    generations.bump_story(story.pk)  # the lists may show it
    return story


# --- Chapters ----------------------------------------------------------------------------


def next_chapter_number(story):
    return _top(story.chapters.all(), "number") + 1


def add_chapter(story, *, number=None, **fields):
    """A new chapter of ``story``, at ``number`` if given (the chapters from there on move
    along by one; a number past the end means the end), else after the last one."""
    return run_in_transaction(_add_chapter, story, number, fields)


def _add_chapter(story, number, fields):
    chapter = Chapter(story=story, **fields)
    _place_new(story.pk, story.chapters.all(), chapter, "number", number)
    return _added(chapter)


def _added(chapter):
    if chapter.is_published:
        chapter.count_in_story(1)  # an imported chapter arrives published
        generations.bump_story(chapter.story_id)
    indexing.index_story(chapter.story_id)  # the chapter's title and summary become searchable
    return chapter


def add_chapter_numbered(story, number, **fields):
    """A new chapter with exactly ``number``, as an imported chapter's heading gives it:
    the chapters from there on move along by one, and a number past the end leaves a gap
    (add_chapter would close it)."""
    return run_in_transaction(_add_chapter_numbered, story, number, fields)


def _add_chapter_numbered(story, number, fields):
    _lock(story.pk)
    if number > _top(story.chapters.all(), "number"):
        return _added(Chapter.objects.create(story=story, number=number, **fields))
    return _add_chapter(story, number, fields)


def edit_chapter(chapter, **fields):
    """Change a chapter's ``fields``; a new ``number`` places it there, as add_chapter does.
    Returns the chapter as saved."""
    siblings = Chapter.objects.filter(story=chapter.story_id)
    chapter = run_in_transaction(_edit, chapter.story_id, siblings, chapter, "number", fields)
    indexing.index_story(chapter.story_id)  # search finds the chapter by its new title
    return chapter


def move_chapter(chapter, direction):
    """Swap a chapter with the one before it (``UP``) or after it (``DOWN``). False, and
    nothing changes, when there is none that way."""
    siblings = Chapter.objects.filter(story=chapter.story_id)
    return run_in_transaction(_move, chapter.story_id, siblings, chapter, "number", direction)


def delete_chapter(chapter):
    """Delete a chapter with its scenes and posts (the admin's delete), taking its words and
    itself out of the story's counts if it was published."""
    run_in_transaction(_delete_chapter, chapter.pk)


def _delete_chapter(pk):
    chapter = Chapter.objects.select_for_update().filter(pk=pk).first()
    if chapter is None:
        return  # deleted meanwhile
    if chapter.is_published:
        chapter.count_in_story(-1, word_count=F("word_count") - chapter.word_count)
    chapter.delete()
    indexing.index_story(chapter.story_id)
    generations.bump_story(chapter.story_id)


def publish_chapter(chapter, published):
    """Publish or unpublish a chapter (Chapter.set_published keeps the counts right). Its
    followers hear of a published chapter through the outbox, once per chapter."""
    return run_in_transaction(_publish_chapter, chapter.pk, published)


def _publish_chapter(pk, published):
    chapter = Chapter.objects.select_for_update().select_related("story").get(pk=pk)
    chapter.set_published(published)
    generations.bump_story(chapter.story_id)  # readers' cached pages show it, or not
    if published:
        outbox.chapter_published(chapter)  # followers hear of it (in the outbox)
    return chapter


# --- Scenes ------------------------------------------------------------------------------


def next_scene_position(chapter):
    return _top(chapter.scenes.all(), "position") + 1


def add_scene(chapter, *, position=None, cast=(), **fields):
    """A new scene in ``chapter``, at ``position`` if given (as add_chapter places a
    chapter), with ``cast``, characters in posting order."""
    return run_in_transaction(_add_scene, chapter, position, list(cast), fields)


def _add_scene(chapter, position, cast, fields):
    # Built here, not by the caller: a retried transaction starts from an unsaved scene.
    scene = Scene(chapter=chapter, **fields)
    _place_new(chapter.story_id, chapter.scenes.all(), scene, "position", position)
    _replace_cast(scene, cast)
    return scene


def edit_scene(scene, *, cast=None, **fields):
    """Change a scene's ``fields`` (a new ``position`` places it) and, unless ``cast`` is
    None, its cast. Returns the scene as saved. An IntegrityError means someone changed the
    cast at this very moment."""
    cast = None if cast is None else list(cast)
    return run_in_transaction(_edit_scene, scene, fields, cast)


def _edit_scene(scene, fields, cast):
    story_id = Chapter.objects.values_list("story", flat=True).get(pk=scene.chapter_id)
    siblings = Scene.objects.filter(chapter=scene.chapter_id)
    scene = _edit(story_id, siblings, scene, "position", fields)
    if cast is not None:
        _replace_cast(scene, cast)
    return scene


def move_scene(scene, direction):
    """Swap a scene with the one before or after it in its chapter, as move_chapter does."""
    story_id = Chapter.objects.values_list("story", flat=True).get(pk=scene.chapter_id)
    siblings = Scene.objects.filter(chapter=scene.chapter_id)
    return run_in_transaction(_move, story_id, siblings, scene, "position", direction)


def set_cast(scene, characters):
    """Make ``characters`` the scene's cast, in this posting order."""
    run_in_transaction(_set_cast, scene, list(characters))


def _set_cast(scene, characters):
    # Lock the scene as posting does, so nobody takes a turn while the order is rewritten.
    Scene.objects.select_for_update().filter(pk=scene.pk).first()
    _replace_cast(scene, characters)
    generations.bump_scene_story(scene.pk)  # the story page lists its characters


def _replace_cast(scene, characters):
    # Posts point at characters, not at these rows, so replacing them loses nothing.
    scene.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(scene=scene, character=character, position=place)
        for place, character in enumerate(characters, start=1)
    )


# --- Numbering ---------------------------------------------------------------------------


def _lock(story_id):
    """Serialise every renumbering of one story (a no-op on SQLite, which locks the file).
    Every change of a chapter or scene passes here, so readers' cached pages follow it."""
    Story.objects.select_for_update().filter(pk=story_id).first()
    generations.bump_story(story_id)


def _place_new(story_id, siblings, obj, field, wanted):
    """Save the new ``obj`` after the last of its ``siblings``, then move it to ``wanted``."""
    _lock(story_id)
    setattr(obj, field, _top(siblings, field) + 1)
    obj.save()
    if wanted is not None:
        _place(siblings, obj, field, wanted)
    return obj


def _edit(story_id, siblings, obj, field, fields):
    """Save ``fields`` on a fresh copy of ``obj`` read under the lock, so neither its number
    nor the counters that posting keeps are written back stale, then place it at the
    number ``fields`` ask for."""
    _lock(story_id)
    obj = siblings.select_for_update().get(pk=obj.pk)
    for name, value in fields.items():
        if name != field:
            setattr(obj, name, value)
    obj.save()
    if fields.get(field) is not None:
        _place(siblings, obj, field, fields[field])
    return obj


def _place(siblings, obj, field, target):
    """Give ``obj`` the number ``target`` among ``siblings`` (its queryset, obj included).

    When another row holds ``target``, it and the rows packed against it shift one step
    towards the place ``obj`` leaves, up to the first gap. A number past the end means the
    end, so no gaps open there."""
    taken = set(siblings.exclude(pk=obj.pk).values_list(field, flat=True))
    old, top = getattr(obj, field), max(taken, default=0)
    if target > top:
        target = top + 1 if old > top else top
    if target == old:
        return
    step = 1 if target < old else -1
    run, number = [], target
    while number in taken:
        run.append(number)
        number += step
    siblings.filter(pk=obj.pk).update(**{field: max(top, old) + 1})  # parked above the rest
    for number in reversed(run):  # the far end first: each lands on a free number
        siblings.filter(**{field: number}).update(**{field: number + step})
    siblings.filter(pk=obj.pk).update(**{field: target})
    setattr(obj, field, target)


def _move(story_id, siblings, obj, field, direction):
    """Swap ``obj`` with its neighbour ``direction``-wards; False if it has none."""
    _lock(story_id)
    mine = siblings.values_list(field, flat=True).get(pk=obj.pk)
    other = _neighbour(siblings, field, mine, direction)
    if other is None:
        return False
    theirs = getattr(other, field)
    siblings.filter(pk=obj.pk).update(**{field: _top(siblings, field) + 1})  # parked
    siblings.filter(pk=other.pk).update(**{field: mine})
    siblings.filter(pk=obj.pk).update(**{field: theirs})
    setattr(obj, field, theirs)
    return True


def _neighbour(siblings, field, number, direction):
    if direction == UP:
        return siblings.filter(**{f"{field}__lt": number}).order_by(f"-{field}").first()
    if direction == DOWN:
        return siblings.filter(**{f"{field}__gt": number}).order_by(field).first()
    return None


def _top(siblings, field):
    return siblings.aggregate(top=Max(field))["top"] or 0
