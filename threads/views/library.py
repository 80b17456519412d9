"""The reader's own library: reading position, history, bookmarks, kudos, reader-insert name.

Writes are POSTs only. Every story is looked up as the reading pages do (readable_story), so
none of these can be used on, or tell anything about, a story the reader may not read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from threads.forms.library import BookmarkForm, ReaderNameForm
from threads.lib import ratelimit
from threads.lib.http import safe_next_url
from threads.library import bookmarks, insert, kudos, positions

from .access import asks_login_for_registered_stories, readable_story

PER_PAGE = 25


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _number(value):
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


@require_POST
@login_required
def save_position(request, slug):
    """Remember the chapter (and post) the reader is at: the reading-position script's POST
    as they scroll, or the chapter's "remember my place" button without JavaScript."""
    story = readable_story(request, slug)
    chapter = get_object_or_404(
        story.chapters.published(), number=_number(request.POST.get("chapter"))
    )
    post = None
    scene_id, number = _number(request.POST.get("scene")), _number(request.POST.get("number"))
    if scene_id is not None and number is not None:
        post = positions.reader_post(chapter, scene_id, number)
        if post is None:
            return HttpResponseBadRequest("No such post in this chapter.")
    refusal = ratelimit.hit(request, "reading_position")
    if refusal is not None:
        return ratelimit.retry_after(
            HttpResponse(refusal.message, content_type="text/plain"), refusal
        )
    positions.record(request.user, chapter, post)
    if _wants_json(request):
        return JsonResponse({"saved": True})
    messages.success(request, "Your place in this story is saved.")
    return redirect(chapter)


@login_required
def reading_history(request):
    page = Paginator(positions.history(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "threads/library/history.html", {"page": page})


@login_required
def bookmark_list(request):
    page = Paginator(bookmarks.of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "threads/library/bookmarks.html", {"page": page})


@require_POST
@login_required
def bookmark_save(request, slug):
    story = readable_story(request, slug)
    form = BookmarkForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "threads/library/bookmark_form.html",
            {"story": story, "form": form},
            status=400,
        )
    bookmarks.save(request.user, story, form.cleaned_data["note"])
    messages.success(request, "Bookmarked. Your note is yours alone.")
    return redirect(safe_next_url(request, story.get_absolute_url()))


@require_POST
@login_required
def bookmark_remove(request, slug):
    story = readable_story(request, slug)
    bookmarks.remove(request.user, story)
    messages.success(request, "The bookmark is removed.")
    return redirect(safe_next_url(request, story.get_absolute_url()))


# Anonymous story pages carry no CSRF token, so they stay cacheable. An anonymous reader's
# kudos is keyed on their session alone, and the session cookie (SameSite=Lax) is not sent
# with a cross-site POST: a forged form could only make a new, empty session's kudos, which
# anyone can do directly. A signed-in reader's kudos is checked as every other POST is.
@csrf_exempt
@require_POST
@asks_login_for_registered_stories
@ratelimit.limited("kudos")
def give_kudos(request, slug):
    if request.user.is_authenticated:
        return _kudos_signed_in(request, slug)
    return _leave_kudos(request, slug)


@csrf_protect
def _kudos_signed_in(request, slug):
    return _leave_kudos(request, slug)


def _leave_kudos(request, slug):
    story = readable_story(request, slug)
    refusal = kudos.refusal(story, request.user, story.membership_of(request.user))
    if refusal:
        messages.error(request, refusal)
        return redirect(story)
    if not request.user.is_authenticated and not request.session.session_key:
        request.session.save()
    added = kudos.give(story, user=request.user, session_key=request.session.session_key)
    if added:
        messages.success(request, "Thank you: your kudos is counted.")
    else:
        messages.info(request, "You have already left kudos on this story.")
    return redirect(story)


def reader_name(request):
    """The name reader-insert stories show: in the session, or on the account."""
    form = ReaderNameForm(request.POST or None, initial={"name": insert.name_of(request)})
    if request.method == "POST" and form.is_valid():
        insert.set_name(request, form.cleaned_data["name"])
        messages.success(request, "Your reader-insert name is saved.")
        return redirect(safe_next_url(request, "/"))
    next_url = safe_next_url(request, "")
    status = 400 if form.errors else 200
    return render(
        request, "threads/library/reader_name.html", {"form": form, "next": next_url}, status=status
    )


@never_cache
def reader_name_json(request):
    """The name for static/js/reader-insert.js; it sets it as text, never as markup."""
    return JsonResponse({"name": insert.name_of(request)})
