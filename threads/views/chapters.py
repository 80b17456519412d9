"""Writing: chapters and scenes, for a story's owner and narrators.

Chapter numbers are unique in a story and scene positions in a chapter, so moving one
means moving others out of its way. ``_move`` does that in one transaction with the story
row locked, in an order where no two rows ever share a number, so the unique constraints
hold at every step instead of raising halfway through.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from threads.forms.stories import MAX_NUMBER, ChapterForm, SceneForm
from threads.lib.http import form_status
from threads.models import Character, Membership, Participant, Story

from .access import managed_story, not_suspended

# --- Renumbering ------------------------------------------------------------------------


def _lock(story):
    """Serialise every renumbering of one story (a no-op on SQLite, which locks the file)."""
    Story.objects.select_for_update().filter(pk=story.pk).first()


def _move(siblings, obj, field, target):
    """Give ``obj`` the number ``target`` among ``siblings`` (its queryset, obj included).

    When another row holds ``target``, it and the rows packed against it shift one step
    towards the place ``obj`` leaves, up to the first gap. A number past the end means the
    end, so no gaps open there. Call inside a transaction."""
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


def _swap(siblings, obj, other, field):
    """Exchange two rows' numbers, parking one above the rest while the other moves."""
    mine, theirs = getattr(obj, field), getattr(other, field)
    parked = _top(siblings, field) + 1
    siblings.filter(pk=obj.pk).update(**{field: parked})
    siblings.filter(pk=other.pk).update(**{field: mine})
    siblings.filter(pk=obj.pk).update(**{field: theirs})


def _neighbour(siblings, obj, field, direction):
    """The row just before (direction "up") or after ("down") ``obj``, or None."""
    number = getattr(obj, field)
    if direction == "up":
        return siblings.filter(**{f"{field}__lt": number}).order_by(f"-{field}").first()
    if direction == "down":
        return siblings.filter(**{f"{field}__gt": number}).order_by(field).first()
    return None


def _save_in_place(siblings, obj, field):
    """Save ``obj`` (new or edited) and give it the number the form asked for, moving the
    others out of its way. It starts from the end if new, else from the number it holds
    now, read again under the lock: a renumbering may have just moved it. Call inside a
    transaction with the story locked."""
    wanted = getattr(obj, field)
    if obj.pk is None:
        start = _top(siblings, field) + 1
    else:
        start = siblings.values_list(field, flat=True).get(pk=obj.pk)
    setattr(obj, field, start)
    obj.save()
    _move(siblings, obj, field, wanted)


def _top(siblings, field):
    return siblings.aggregate(top=Max(field))["top"] or 0


def _next_number(siblings, field):
    return min(_top(siblings, field) + 1, MAX_NUMBER)


# --- Chapters ---------------------------------------------------------------------------


def _chapter(story, number):
    return get_object_or_404(story.chapters, number=number)


@login_required
@not_suspended
def chapter_create(request, slug):
    story, _ = managed_story(request, slug)
    form = ChapterForm(
        request.POST or None, initial={"number": _next_number(story.chapters, "number")}
    )
    if request.method == "POST" and form.is_valid():
        chapter = form.save(commit=False)
        chapter.story = story
        with transaction.atomic():
            _lock(story)
            _save_in_place(story.chapters.all(), chapter, "number")
        messages.success(request, f"Chapter {chapter.number} is added, as a draft.")
        return redirect("story_manage", slug=story.slug)
    context = {"story": story, "form": form}
    return render(request, "threads/manage/chapter_form.html", context, status=form_status(form))


@login_required
@not_suspended
def chapter_edit(request, slug, number):
    story, _ = managed_story(request, slug)
    chapter = _chapter(story, number)
    form = ChapterForm(request.POST or None, instance=chapter)
    if request.method == "POST" and form.is_valid():
        chapter = form.save(commit=False)
        with transaction.atomic():
            _lock(story)
            _save_in_place(story.chapters.all(), chapter, "number")
        messages.success(request, f"Chapter {chapter.number} is saved.")
        return redirect("story_manage", slug=story.slug)
    context = {"story": story, "form": form, "chapter": _chapter(story, number)}
    return render(request, "threads/manage/chapter_form.html", context, status=form_status(form))


@require_POST
@login_required
@not_suspended
def chapter_publish(request, slug, number):
    """Publish or unpublish; set_published keeps the story's word count right."""
    story, _ = managed_story(request, slug)
    publish = request.POST.get("published") == "1"
    with transaction.atomic():
        chapter = get_object_or_404(story.chapters.select_for_update(), number=number)
        chapter.set_published(publish)
    state = "published" if publish else "back to a draft, hidden from readers"
    messages.success(request, f"Chapter {number} is {state}.")
    return redirect("story_manage", slug=story.slug)


@require_POST
@login_required
@not_suspended
def chapter_move(request, slug, number):
    """Swap a chapter with the one before or after it."""
    story, _ = managed_story(request, slug)
    with transaction.atomic():
        _lock(story)
        chapter = _chapter(story, number)
        other = _neighbour(story.chapters.all(), chapter, "number", request.POST.get("direction"))
        if other is not None:
            _swap(story.chapters.all(), chapter, other, "number")
    return redirect("story_manage", slug=story.slug)


# --- Scenes -----------------------------------------------------------------------------


def _scene(chapter, position):
    return get_object_or_404(chapter.scenes, position=position)


def _eligible_characters(story, scene=None):
    """Characters that may join: active members' unretired ones. A scene's present cast stays
    offered too, so editing it never drops someone silently."""
    members = Membership.objects.active().filter(story=story).values("user")
    eligible = Q(owner__in=members, retired_at__isnull=True)
    if scene is not None:
        eligible |= Q(participations__scene=scene)
    return Character.objects.filter(eligible).select_related("owner").distinct().order_by("name")


def _set_participants(scene, characters):
    """Replace the posting order. Posts point at characters, not at these rows, so
    replacing them loses nothing."""
    scene.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(scene=scene, character=character, position=place)
        for place, character in enumerate(characters, start=1)
    )


def _scene_form(request, story, chapter, scene=None):
    current = {}
    if scene is not None:
        current = dict(scene.participants.values_list("character_id", "position"))
    initial = None if scene else {"position": _next_number(chapter.scenes, "position")}
    return SceneForm(
        request.POST or None,
        instance=scene,
        initial=initial,
        characters=_eligible_characters(story, scene),
        current=current,
    )


@login_required
@not_suspended
def scene_create(request, slug, number):
    story, _ = managed_story(request, slug)
    chapter = _chapter(story, number)
    form = _scene_form(request, story, chapter)
    if request.method == "POST" and form.is_valid():
        scene = form.save(commit=False)
        scene.chapter = chapter
        with transaction.atomic():
            _lock(story)
            _save_in_place(chapter.scenes.all(), scene, "position")
            _set_participants(scene, form.cleaned_data["participants"])
        messages.success(request, f"The scene “{scene.title}” is added.")
        return redirect("story_manage", slug=story.slug)
    context = {"story": story, "chapter": chapter, "form": form}
    return render(request, "threads/manage/scene_form.html", context, status=form_status(form))


@login_required
@not_suspended
def scene_edit(request, slug, number, position):
    story, _ = managed_story(request, slug)
    chapter = _chapter(story, number)
    scene = _scene(chapter, position)
    form = _scene_form(request, story, chapter, scene)
    status = form_status(form)
    if request.method == "POST" and form.is_valid():
        scene = form.save(commit=False)
        try:
            with transaction.atomic():
                _lock(story)
                _save_in_place(chapter.scenes.all(), scene, "position")
                _set_participants(scene, form.cleaned_data["participants"])
        except IntegrityError:
            # Only a character added to the scene at this very moment by someone else.
            form.add_error(
                None, "Someone changed this scene's cast just now. Check and save again."
            )
            status = 409
        else:
            messages.success(request, f"The scene “{scene.title}” is saved.")
            return redirect("story_manage", slug=story.slug)
    context = {"story": story, "chapter": chapter, "form": form, "scene": _scene(chapter, position)}
    return render(request, "threads/manage/scene_form.html", context, status=status)


@require_POST
@login_required
@not_suspended
def scene_set_open(request, slug, number, position):
    story, _ = managed_story(request, slug)
    scene = _scene(_chapter(story, number), position)
    scene.set_open(request.POST.get("open") == "1")
    state = "open for posts" if scene.is_open else "closed; nobody can post in it"
    messages.success(request, f"The scene “{scene.title}” is {state}.")
    return redirect("story_manage", slug=story.slug)


@require_POST
@login_required
@not_suspended
def scene_move(request, slug, number, position):
    """Swap a scene with the one before or after it in its chapter."""
    story, _ = managed_story(request, slug)
    chapter = _chapter(story, number)
    with transaction.atomic():
        _lock(story)
        scene = _scene(chapter, position)
        other = _neighbour(chapter.scenes.all(), scene, "position", request.POST.get("direction"))
        if other is not None:
            _swap(chapter.scenes.all(), scene, other, "position")
    return redirect("story_manage", slug=story.slug)
