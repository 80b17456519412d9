"""Importing into a story (upload, preview, confirm), claiming imported posts, and opening a
scene with a character's greeting.

The upload is parsed and shown before anything is saved. Between the preview and the
confirmation the file waits on the server, under a random name kept in the session, so the
confirmation imports exactly what was previewed and nothing the browser sends back.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from threads.forms.imports import ClaimForm, ImportUploadForm, too_large_message
from threads.interchange import claims
from threads.interchange.plan import UPLOAD_MAX_BYTES, ImportFailed, apply, preview
from threads.interchange.uploads import parse_upload
from threads.lib import ratelimit
from threads.lib.http import form_status
from threads.models import Character, Membership, Post, Scene, Story
from threads.tasks import enqueue_import
from threads.writing import posting

from .access import not_suspended, owned_character, owned_story

# An upload waits for its preview to be confirmed in the shared cache (Redis in production),
# so any app server can take the confirmation; past a day, or if the cache lets it go, the
# owner is asked to upload it again.
UPLOAD_TTL_SECONDS = 24 * 3600
PREVIEW_POSTS = 30
# Past this many posts an import is saved by the task worker, not in the request.
IMPORT_IN_REQUEST_POSTS = 2000


def _session_key(story):
    return f"import:{story.pk}"


# --- Upload, preview, confirm -----------------------------------------------------------


@login_required
@not_suspended
@ratelimit.limited("import")
def import_upload(request, slug):
    story, _ = owned_story(request, slug)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and length > UPLOAD_MAX_BYTES + 64 * 1024:
        # Refused before Django reads the body, whatever the form would have said.
        context = {"story": story, "message": too_large_message(length)}
        return render(request, "threads/imports/too_large.html", context, status=413)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        source, options = form.cleaned_data["source"], form.options()
        try:
            parse_upload(source, raw, options)
        except ImportFailed as error:
            form.add_error("file", str(error))
        else:
            request.session[_session_key(story)] = {
                "token": _keep(raw),
                "source": source,
                "options": options,
                "name": form.cleaned_data["file"].name[:200],
            }
            return redirect("import_preview", slug=story.slug)
    context = {"story": story, "form": form}
    return render(request, "threads/imports/upload.html", context, status=form_status(form))


@login_required
@not_suspended
def import_preview(request, slug):
    """GET shows the plan; POST with ``confirm`` saves it, with ``cancel`` forgets it."""
    story, _ = owned_story(request, slug)
    pending = request.session.get(_session_key(story))
    raw = _kept(pending)
    if raw is None:
        waited = "The uploaded file waited too long and was let go: upload it again."
        messages.info(request, waited if pending else "Upload a file to import first.")
        return redirect("import_upload", slug=story.slug)
    if request.method == "POST":
        return _confirm(request, story, pending, raw)
    try:
        plan = parse_upload(pending["source"], raw, pending["options"])
    except ImportFailed as error:  # the parsers changed since the upload: start again
        _forget(request, story, pending)
        messages.error(request, str(error))
        return redirect("import_upload", slug=story.slug)
    context = {
        "story": story,
        "plan": plan,
        "chapters": preview(plan, PREVIEW_POSTS),
        "name": pending["name"],
    }
    return render(request, "threads/imports/preview.html", context)


def _confirm(request, story, pending, raw):
    if "confirm" not in request.POST:
        _forget(request, story, pending)
        messages.info(request, "The import was cancelled; nothing was saved.")
        return redirect("story_manage", slug=story.slug)
    try:
        plan = parse_upload(pending["source"], raw, pending["options"])
        if plan.is_streamed or plan.post_count > IMPORT_IN_REQUEST_POSTS:
            return _confirm_later(request, story, pending, raw)
        story = apply(plan, request.user, story.slug)
    except ImportFailed as error:
        messages.error(request, f"Nothing was imported: {error}")
        return redirect("import_preview", slug=story.slug)
    _forget(request, story, pending)
    messages.success(request, f"Imported {plan.post_count:,} posts into {story.title}.")
    chapter = story.imported_chapters[0]
    return redirect("chapter_detail", slug=story.slug, number=chapter.number)


def _confirm_later(request, story, pending, raw):
    source, options = pending["source"], pending["options"]
    enqueue_import(request.user, story, source, options, raw, pending["name"])
    _forget(request, story, pending)
    messages.success(request, "The file is being imported; you will get an e-mail when it is done.")
    return redirect("story_manage", slug=story.slug)


def _upload_key(token):
    return f"import-upload:{token}"


def _keep(raw):
    """Keep the upload under a fresh random name; return the name."""
    token = secrets.token_urlsafe(24)
    cache.set(_upload_key(token), raw, timeout=UPLOAD_TTL_SECONDS)
    return token


def _kept(pending):
    if not pending or not isinstance(pending.get("token"), str):
        return None
    return cache.get(_upload_key(pending["token"]))


def _forget(request, story, pending):
    cache.delete(_upload_key(pending["token"]))
    request.session.pop(_session_key(story), None)


# --- Claims ---------------------------------------------------------------------------


@require_POST
@login_required
@not_suspended
def claim_ask(request, slug):
    """A writer asks to be credited with a character's imported posts in one story."""
    character = get_object_or_404(Character, slug=slug)
    stories = claims.claimable_stories(character, Story.objects.readable_by(request.user))
    story = get_object_or_404(stories, pk=request.POST.get("story") or 0)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note is too long.")
        return redirect(character.get_absolute_url())
    try:
        claims.ask(story, character, request.user, form.cleaned_data["note"])
    except claims.ClaimError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"You asked for {character.name}'s posts in {story.title}.")
    return redirect(character.get_absolute_url())


@require_POST
@login_required
@not_suspended
def claim_decide(request, slug, pk):
    story, _ = owned_story(request, slug)
    claim = get_object_or_404(story.claims.select_related("claimant", "character"), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        claim = claims.decide(claim, request.user, approve)
    except claims.ClaimError as error:
        messages.error(request, str(error))
    else:
        done = f"credited {claim.posts_credited} posts to" if approve else "declined the claim of"
        messages.success(request, f"You {done} {claim.claimant.name} for {claim.character.name}.")
    return redirect("story_manage", slug=story.slug)


# --- Greetings ------------------------------------------------------------------------


def greeting_scenes(character, user):
    """Open scenes with ``character`` in the cast, in stories where ``user`` is an active
    member, that nobody has posted in yet: where the greeting can open the scene."""
    return (
        Scene.objects.filter(
            is_open=True,
            participants__character=character,
            chapter__story__memberships__user=user,
            chapter__story__memberships__status=Membership.Status.ACTIVE,
        )
        .exclude(pk__in=Post.objects.values("scene"))
        .select_related("chapter__story")
        .order_by("-created_at")
    )


@require_POST
@login_required
@not_suspended
def greeting_post(request, slug):
    """Post the character's greeting as the opening post of one of ``greeting_scenes``."""
    character = owned_character(request, slug)
    scene = get_object_or_404(
        greeting_scenes(character, request.user), pk=request.POST.get("scene") or 0
    )
    try:
        posting.submit_post(
            scene, request.user, Post.Kind.IN_CHARACTER, character, character.greeting
        )
    except posting.PostingError as error:
        messages.error(request, str(error))
        return redirect(character.get_absolute_url())
    messages.success(request, f"{character.name}'s greeting opens {scene.title}.")
    return redirect(scene.get_absolute_url())
