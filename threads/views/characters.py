"""Writing: a writer's own characters. Only the owner edits or retires a character."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from threads.discovery import indexing
from threads.forms.characters import CharacterForm
from threads.lib.http import form_status
from threads.models import generations
from threads.writing import membership

from .access import not_suspended, owned_character
from .confirmation import email_confirmed


def _delete_replaced_files(character, old_names):
    """Once the new portrait is committed, remove the files it replaced."""
    new_names = {character.portrait.name, character.portrait_thumb.name}
    stale = [name for name in old_names if name and name not in new_names]
    storage = character.portrait.storage

    def delete():
        for name in stale:
            storage.delete(name)

    transaction.on_commit(delete)


@login_required
def my_characters(request):
    """All of the writer's characters, retired ones too (their public page lists only active)."""
    characters = request.user.characters.order_by("retired_at", "name")
    return render(request, "threads/manage/my_characters.html", {"characters": characters})


@login_required
@not_suspended
@email_confirmed
def character_create(request):
    form = CharacterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        character = form.save(commit=False)
        character.owner = request.user
        character.save()
        indexing.index_characters([character.pk])
        messages.success(request, f"{character.name} is ready to take part in scenes.")
        return redirect(character.get_absolute_url())
    context = {"form": form}
    return render(request, "threads/manage/character_form.html", context, status=form_status(form))


@login_required
@not_suspended
def character_edit(request, slug):
    character = owned_character(request, slug)
    old_files = {character.portrait.name, character.portrait_thumb.name}
    form = CharacterForm(request.POST or None, request.FILES or None, instance=character)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            character = form.save()
            indexing.index_characters([character.pk])  # search finds the new name
            generations.bump_character_stories(character.pk)  # cached pages show it
            _delete_replaced_files(character, old_files)
        messages.success(request, f"{character.name} is saved.")
        return redirect(character.get_absolute_url())
    context = {"form": form, "character": owned_character(request, slug)}
    return render(request, "threads/manage/character_form.html", context, status=form_status(form))


@require_POST
@login_required
@not_suspended
def character_retire(request, slug):
    """Retire a character (it leaves the writer's public list and the casts of open scenes,
    and can join no new scenes; its posts stay) or bring it back with ``retired=0``."""
    character = owned_character(request, slug)
    if request.POST.get("retired", "1") == "1":
        membership.retire_character(character)
        messages.success(request, f"{character.name} is retired. Their posts stay in the stories.")
    else:
        character.unretire()
        messages.success(request, f"{character.name} is back in play.")
    return redirect("my_characters")
