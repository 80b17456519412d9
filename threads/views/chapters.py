"""Writing: chapters and scenes, for a story's owner and narrators.

These views check access and validate the forms; threads/writing/structure.py adds, places
and moves chapters and scenes and sets a scene's cast.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from threads.forms.stories import MAX_NUMBER, ChapterForm, SceneForm
from threads.lib.http import form_status
from threads.models import Character, Membership
from threads.writing import structure

from .access import managed_story, not_suspended


def _model_fields(form):
    """The model's fields from a valid ModelForm, without the form's extras (a scene's
    places, for instance)."""
    return {name: form.cleaned_data[name] for name in form._meta.fields}


# --- Chapters ---------------------------------------------------------------------------


def _chapter(story, number):
    return get_object_or_404(story.chapters, number=number)


@login_required
@not_suspended
def chapter_create(request, slug):
    story, _ = managed_story(request, slug)
    number = min(structure.next_chapter_number(story), MAX_NUMBER)
    form = ChapterForm(request.POST or None, initial={"number": number})
    if request.method == "POST" and form.is_valid():
        chapter = structure.add_chapter(story, **_model_fields(form))
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
        chapter = structure.edit_chapter(chapter, **_model_fields(form))
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
    structure.publish_chapter(_chapter(story, number), publish)
    state = "published" if publish else "back to a draft, hidden from readers"
    messages.success(request, f"Chapter {number} is {state}.")
    return redirect("story_manage", slug=story.slug)


@require_POST
@login_required
@not_suspended
def chapter_move(request, slug, number):
    """Swap a chapter with the one before or after it."""
    story, _ = managed_story(request, slug)
    structure.move_chapter(_chapter(story, number), request.POST.get("direction"))
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


def _scene_form(request, story, chapter, scene=None):
    current, initial = {}, None
    if scene is None:
        initial = {"position": min(structure.next_scene_position(chapter), MAX_NUMBER)}
    else:
        current = dict(scene.participants.values_list("character_id", "position"))
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
        cast = form.cleaned_data["participants"]
        scene = structure.add_scene(chapter, cast=cast, **_model_fields(form))
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
        cast = form.cleaned_data["participants"]
        try:
            scene = structure.edit_scene(scene, cast=cast, **_model_fields(form))
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
    scene = _scene(_chapter(story, number), position)
    structure.move_scene(scene, request.POST.get("direction"))
    return redirect("story_manage", slug=story.slug)
