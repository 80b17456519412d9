"""Posting: the scene page (the writers' workspace), turns, previews, edits, history,
withdrawals and skips.

Access: anyone who may read the story may read a scene (unpublished chapters only for its
members); only active members write. A stranger to a members-only story gets a 404, so
drafts cannot be discovered; a reader of a public story who tries to write gets a 403.
The rules are in threads/views/access.py.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from threads.forms.posting import EditForm, PostForm, choice_for
from threads.lib import diffs, markup, ratelimit
from threads.models import Chapter, Membership, ModerationAction, Post, Revision, Scene, Story
from threads.writing import turns, visits
from threads.writing.posting import (
    PostingError,
    TurnError,
    check_body,
    current_text,
    edit_post,
    resubmit_refusal,
    skip_turn,
    submit_post,
    withdraw_post,
)

from .access import (
    adult_interstitial,
    asks_login_for_registered_stories,
    authored_post,
    member_post,
    needs_adult_consent,
    post_actions,
    readable_scene,
    withdrawable_ids,
    writable_scene,
)
from .confirmation import email_confirmed
from .credits import credit_posts
from .reader_posts import PostMarkup, portrait

DRAFTS_SESSION_KEY = "post_drafts"
DRAFTS_KEPT = 5  # texts kept across a login, per session (the newest scenes')
# Long scenes are read a page at a time; ?post=N finds the page that holds a post.
SCENE_PAGE_SIZE = 50


# --- The scene page ----------------------------------------------------------------------


@asks_login_for_registered_stories
def scene_detail(request, slug, number, position):
    scene, membership = readable_scene(request, slug, number, position)
    if needs_adult_consent(request, scene.chapter.story):
        return adult_interstitial(request, scene.chapter.story)
    draft = _pop_draft(request, scene) if membership else None
    if draft:
        messages.info(request, _draft_back_message(draft["body"]))
    return _render_scene(request, scene, membership, draft=draft, saved=_saved_draft(request))


def _render_scene(
    request, scene, membership, form=None, preview="", status=200, draft=None, saved=""
):
    state = turns.turn_state(scene)
    window = _scene_window(request, scene, membership)
    posts = credit_posts(window["posts"])
    actions = post_actions(
        posts, request.user, membership, withdraw=withdrawable_ids(posts, request.user, membership)
    )
    markup = PostMarkup(actions, request)
    for post in posts:  # written as on the reading pages
        post.actions_html = markup.actions(post)
        post.portrait_html = portrait(post) if post.character_id else ""
    is_up = turns.is_up(state, request.user, membership)
    context = {
        "story": scene.chapter.story,
        "chapter": scene.chapter,
        "scene": scene,
        "state": state,
        **window,
        "membership": membership,
        "is_member": membership is not None,
        "is_up": is_up,
        "draft_key": _draft_key(request.user, scene.get_absolute_url()),
        "saved_draft": saved,
        **_preview_context(form, preview),
    }
    # A suspended writer gets no form (base.html says why); a refused one keeps their text.
    if membership is not None and scene.is_open and not request.user.is_suspended:
        options = _post_form_options(request, state, membership)
        context["form"] = form or _blank_post_form(state, options, window["last_number"], draft)
        context["can_narrate"] = options["can_narrate"]
        # Said above the form, not only on submit: what this writer may post right now.
        context["not_your_turn"] = not state.is_free and not is_up
        # Whoever is up posts (or OOC-notes) rather than skipping their own turn.
        context["can_skip"] = membership.can_manage and state.next_up is not None and not is_up
    elif form is not None:
        context["form"] = form
    return render(request, "threads/scene_detail.html", context, status=status)


def _scene_posts(request, scene, membership):
    return Post.objects.filter(scene=scene).visible_to(
        request.user, is_member=membership is not None
    )


def _scene_window(request, scene, membership):
    """The page of posts to show and what the page says about the rest: how many pages,
    the newest post, and for members what is new since their last visit. Three queries
    whatever the scene's length: the member's visit, one aggregate, the page's posts."""
    visible = _scene_posts(request, scene, membership)
    seen = visits.last_seen(request.user, scene) if membership else None
    wanted = _positive_int(request.GET.get("post", "")) or 0
    facts = visible.aggregate(**_window_aggregates(request.user, seen, wanted))
    # The paginator counts a range, not the posts: the aggregate has counted them already.
    paginator = Paginator(range(facts["total"]), SCENE_PAGE_SIZE)
    page = paginator.get_page(_page_number(request, paginator, membership, facts, wanted))
    rows = page.object_list
    posts = list(
        visible.with_credits().with_pending_edit().order_by("number")[rows.start : rows.stop]
    )
    last_on_page = posts[-1].number if posts else 0
    return {
        "posts": posts,
        "page": page,
        "last_number": facts["last"] or 0,
        "unread": facts.get("unread", 0),
        "first_unread": facts.get("first_unread"),
        # Ask the browser to report this page as seen only when it shows something new.
        "report_seen": membership is not None and last_on_page > (seen or 0),
        "last_on_page": last_on_page,
    }


def _window_aggregates(user, seen, wanted):
    aggregates = {
        "total": Count("pk"),
        "last": Max("number"),
        "before_wanted": Count("pk", filter=Q(number__lt=wanted)),
    }
    if seen is not None:
        # One's own posts are never news to oneself.
        new = Q(number__gt=seen) & ~Q(author_id=user.pk)
        aggregates["unread"] = Count("pk", filter=new)
        aggregates["first_unread"] = Min("number", filter=new)
    return aggregates


def _page_number(request, paginator, membership, facts, wanted):
    """?post=N opens the page holding post N (so a post's link works however the pages
    fall for this reader); else ?page=N; else members start at the newest page, where
    the game is, and readers at the first, where the story is."""
    if wanted:
        return facts["before_wanted"] // SCENE_PAGE_SIZE + 1
    if "page" in request.GET:
        return request.GET["page"]
    return paginator.num_pages if membership else 1


def _positive_int(value):
    """A number sent in a URL or form, or None. Checked as ASCII and short because int()
    raises on "²" or on thousands of digits."""
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


@login_required
@require_POST
def scene_seen(request, slug, number, position):
    """scene-visit.js reports the newest post the member was shown (see writing/visits.py)."""
    scene, membership = readable_scene(request, slug, number, position)
    seen = _positive_int(request.POST.get("number", ""))
    if membership is None or seen is None:
        return HttpResponse(status=400)
    visits.mark_seen(request.user, scene, seen)
    return HttpResponse(status=204)


def _post_form_options(request, state, membership):
    """The characters this writer may choose from, and whether they may narrate."""
    characters = [
        p.character
        for p in state.participants
        if p.character.owner_id == request.user.pk and not p.character.is_retired
    ]
    return {"characters": characters, "can_narrate": membership.role in turns.NARRATOR_ROLES}


def _blank_post_form(state, options, last_number, draft):
    draft = draft or {}
    form = PostForm(
        initial={
            "post_as": _first_choice(state, options),
            "body": draft.get("body", ""),
            "seen": last_number,
        },
        **options,
    )
    # The kind the writer chose before their session ended, if they may still choose it.
    if draft.get("post_as") in dict(form.fields["post_as"].choices):
        form.initial["post_as"] = draft["post_as"]
    return form


def _first_choice(state, options):
    """What the form offers first: something this writer may post now. Their character
    when it is up (or at any time in a free scene); narration when the narrator is up, or
    for a narrator with no character here; otherwise an OOC note, which the notice above
    the form explains."""
    characters, up = options["characters"], state.next_up
    if up is not None and up.character in characters:
        return choice_for(up.character)
    if state.is_free and characters:
        return choice_for(characters[0])
    narrate = options["can_narrate"] and (state.narrator_up or not characters)
    return choice_for(None, narrate)


# --- Posting -----------------------------------------------------------------------------


@require_POST
@email_confirmed
def post_submit(request, slug, number, position):
    if not request.user.is_authenticated:
        return _login_keeping_draft(request, slug, number, position)
    scene, membership = writable_scene(request, slug, number, position)
    state = turns.turn_state(scene)
    form = PostForm(request.POST, **_post_form_options(request, state, membership))
    if not form.is_valid():
        return _render_scene(request, scene, membership, form=form, status=400)
    refusal = _over_limit(request, form)
    if refusal is not None:
        response = _render_scene(request, scene, membership, form=form)
        return ratelimit.retry_after(response, refusal)
    if "preview" in request.POST:
        preview = markup.render(form.cleaned_data["body"])
        return _render_scene(request, scene, membership, form=form, preview=preview)
    kind, character = form.kind_and_character()
    try:
        post = submit_post(scene, request.user, kind, character, form.cleaned_data["body"])
    except PostingError as error:
        form.add_error(None, _refusal_message(error, scene, form))
        code = 403 if request.user.is_suspended else 409 if isinstance(error, TurnError) else 400
        return _render_scene(request, scene, membership, form=form, status=code)
    # Writing a post counts as having read the scene up to it.
    visits.mark_seen(request.user, scene, post.number)
    messages.success(request, _posted_message(post))
    draft_key = _draft_key(request.user, scene.get_absolute_url())
    return _redirect_saved(post.get_absolute_url(), draft_key)


def _over_limit(request, form):
    """Count a submit (or a preview) against the writer's limit; past it, the reason goes
    on the form, which comes back with the text in it."""
    refusal = ratelimit.hit(request, "preview" if "preview" in request.POST else "post")
    if refusal is not None:
        form.add_error(None, f"{refusal.message} Nothing was saved; your text is kept below.")
    return refusal


def _preview_context(form, preview):
    """The preview, its word count (shown without JavaScript too) and the length limit."""
    words = None
    if preview and form is not None and form.is_valid():
        words = markup.count_words(form.cleaned_data["body"])
    return {"preview": preview, "preview_words": words, "max_length": settings.RP_MAX_POST_LENGTH}


def _draft_key(user, path):
    """The key of the unsent text post-form.js keeps in the browser for this form: per user,
    so whoever logs in next on the same browser never gets someone else's draft."""
    return f"draft:{user.pk}:{path}" if user.is_authenticated else ""


SAVED_SALT = "threads.posting.saved_draft"
SAVED_MAX_AGE = 10 * 60  # seconds: the redirect after a save is followed at once


def _redirect_saved(url, draft_key):
    """Redirect after a successful save with ?saved=<token>: the draft key, signed and
    dated by the server. The scene page turns it back into the key (``_saved_draft``) only
    for its writer, and drafts.js forgets that draft."""
    path, _, fragment = url.partition("#")
    joiner = "&" if "?" in path else "?"
    token = signing.dumps(draft_key, salt=SAVED_SALT)
    return redirect(f"{path}{joiner}{urlencode({'saved': token})}#{fragment}")


def _saved_draft(request):
    """The draft key in ?saved=, if the server signed it in the last few minutes for this
    very writer, else "". So a link in someone's post (made-up, or copied from the
    address bar of its own writer's save) clears nobody else's unsent text."""
    token = request.GET.get("saved", "")
    if not token or not request.user.is_authenticated:
        return ""
    try:
        key = signing.loads(token, salt=SAVED_SALT, max_age=SAVED_MAX_AGE)
    except signing.BadSignature:  # expired ones too
        return ""
    mine = isinstance(key, str) and key.startswith(f"draft:{request.user.pk}:")
    return key if mine else ""


def _login_keeping_draft(request, slug, number, position):
    """Someone whose session ended submits a post: keep the text and the kind of post they
    chose in their session (it survives logging in) and bring them back to the scene
    afterwards. The choice is checked against the form when it comes back.

    Only for a scene that a reader who is not signed in may know exists (a published
    chapter of a public or registered-only story): anything else, a made-up address
    included, gets one same page with the text to copy and nothing stored, so the answer
    never tells a members-only scene from one that does not exist."""
    scene_url = reverse("scene_detail", args=[slug, number, position])
    body = request.POST.get("body", "")
    if not body.strip():
        messages.info(request, "Log in to post.")
        return redirect_to_login(scene_url + "#post-form")
    if not _known_to_anyone(slug, number, position):
        context = {"body": body, "login_next": scene_url + "#post-form"}
        return render(request, "threads/accounts/login_to_post.html", context, status=403)
    _keep_draft(request, scene_url, body, request.POST.get("post_as", "")[:40])
    messages.info(request, "Log in to post. Your text is kept and will be back in the form.")
    return redirect_to_login(scene_url + "#post-form")


def _known_to_anyone(slug, number, position):
    chapters = Chapter.objects.published().filter(
        story__slug=slug,
        story__visibility__in=[Story.Visibility.PUBLIC, Story.Visibility.REGISTERED],
        number=number,
    )
    return Scene.objects.filter(chapter__in=chapters, position=position).exists()


def _keep_draft(request, scene_url, body, post_as):
    """Kept whole even past the length limit (the form says so once it is back, and the
    writer shortens it there), up to twice the limit: a session holds at most DRAFTS_KEPT
    drafts of bounded size, the newest scenes'."""
    drafts = request.session.get(DRAFTS_SESSION_KEY, {})
    drafts.pop(scene_url, None)
    drafts[scene_url] = {"body": body[: _draft_max_length()], "post_as": post_as}
    while len(drafts) > DRAFTS_KEPT:
        drafts.pop(next(iter(drafts)))
    request.session[DRAFTS_SESSION_KEY] = drafts


def _draft_max_length():
    return 2 * settings.RP_MAX_POST_LENGTH + 1_000


def _pop_draft(request, scene):
    """The draft kept by ``_login_keeping_draft``, as {"body", "post_as"}, once."""
    drafts = request.session.get(DRAFTS_SESSION_KEY)
    if not drafts or scene.get_absolute_url() not in drafts:
        return None
    draft = drafts.pop(scene.get_absolute_url())
    request.session[DRAFTS_SESSION_KEY] = drafts
    # Sessions from before the kind was kept hold the text alone.
    return {"body": draft} if isinstance(draft, str) else draft


def _draft_back_message(body):
    """What the writer is told when their kept text is back in the form, with the reason
    it cannot be posted as it stands (too long, say)."""
    message = "Your text from before you logged in is back in the form."
    try:
        check_body(body.replace("\r\n", "\n"))  # as the form will count it
    except PostingError as error:
        return f"{message} {error}"
    return message


def _refusal_message(error, scene, form):
    message = str(error)
    seen = form.cleaned_data.get("seen")
    if isinstance(error, TurnError) and seen is not None:
        newer = Post.objects.filter(scene=scene, number__gt=seen).exclude(
            status=Post.Status.WITHDRAWN
        )
        if newer.exists():
            message = f"Someone posted while you were writing. {message}"
    return f"{message} Nothing was posted; your text is kept below."


def _posted_message(post):
    if post.status == Post.Status.PENDING:
        return (
            "Posted. It waits for a moderator before readers see it; "
            "the story's writers can already read it."
        )
    return "Posted."


@require_POST
def post_preview(request):
    """The rendered Markdown of a draft, as an HTML fragment for the live preview, for the
    writers of the story whose form asks (``?story=<slug>``). The body goes through the
    post form's own field: the posts' length limit and Markdown bounds."""
    if not request.user.is_authenticated:
        return _preview_refusal("Log in to preview.", 403)
    story_slug = request.GET.get("story", "")
    if not Membership.objects.active().filter(story__slug=story_slug, user=request.user).exists():
        return _preview_refusal("Only this story's writers can preview here.", 403)
    refusal = ratelimit.hit(request, "preview")
    if refusal is not None:
        return ratelimit.retry_after(_preview_refusal(refusal.message, 429), refusal)
    body = request.POST.get("body", "")
    if not body.strip():
        return HttpResponse('<p class="empty">Nothing to preview yet.</p>')
    form = EditForm({"body": body})
    if not form.is_valid():
        error = form.errors.as_data()["body"][0]
        if error.code == "markdown":
            return _preview_refusal(f"Cannot preview this. {error.message}", 400)
        return _preview_refusal(f"Too long to preview. {error.message}", 413)
    return HttpResponse(markup.render(form.cleaned_data["body"]))


def _preview_refusal(message, status):
    return HttpResponse(message, status=status, content_type="text/plain")


@login_required
@require_POST
@email_confirmed
def turn_skip(request, slug, number, position):
    scene, membership = writable_scene(request, slug, number, position)
    if not membership.can_manage:
        raise PermissionDenied("Only the story's owner and narrators can skip a turn.")
    value = request.POST.get("character", "")
    expected = _character_id(value)
    if value and expected is None:
        # A forged or garbled form: skipping whoever is up instead could skip the wrong one.
        messages.error(request, "The skip form was not understood, so nothing was skipped.")
        return redirect(scene.get_absolute_url())
    try:
        post = skip_turn(scene, request.user, expected)
    except PostingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{post.character.name}'s turn was skipped.")
    return redirect(scene.get_absolute_url())


def _character_id(value):
    """The character the writer saw as up, or None if the form sent no usable id. Checked
    as ASCII and short because int() raises on "²" or on thousands of digits."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


# --- Editing, history, withdrawing ---------------------------------------------------------


@login_required
@email_confirmed
def post_edit(request, pk):
    post, _membership = authored_post(request, pk)
    if request.method != "POST":
        form = EditForm(initial={"body": current_text(post)})
        return _render_edit(request, post, form)
    form = EditForm(request.POST)
    if not form.is_valid():
        return _render_edit(request, post, form, status=400)
    refusal = _over_limit(request, form)
    if refusal is not None:
        return ratelimit.retry_after(_render_edit(request, post, form), refusal)
    if "preview" in request.POST:
        return _render_edit(request, post, form, preview=markup.render(form.cleaned_data["body"]))
    try:
        revision = edit_post(post, request.user, form.cleaned_data["body"])
    except PostingError as error:
        form.add_error(None, f"{error} Nothing was saved; your text is kept below.")
        code = 403 if request.user.is_suspended else 409 if isinstance(error, TurnError) else 400
        return _render_edit(request, post, form, status=code)
    messages.success(request, _edited_message(post.status, revision))
    return _redirect_saved(post.get_absolute_url(), _draft_key(request.user, request.path))


def _render_edit(request, post, form, preview="", status=200):
    context = {
        "post": post,
        "scene": post.scene,
        "story": post.scene.chapter.story,
        "form": form,
        **_preview_context(form, preview),
        "has_pending_edit": post.pending_edit() is not None,
        "draft_key": _draft_key(request.user, request.path),
    }
    if post.status == Post.Status.REJECTED and not request.user.is_suspended:
        context["resubmit_refusal"] = resubmit_refusal(post, request.user)
    return render(request, "threads/posting/post_edit.html", context, status=status)


def _edited_message(status_before, revision):
    """What the writer is told after saving, from the post as saved (``revision.post``)."""
    if revision is None:
        return "Nothing changed, so nothing was saved."
    if revision.status == Revision.Status.PENDING:
        return "Edit saved. It waits for a moderator; readers see the approved text until then."
    if revision.post.status == Post.Status.PENDING:
        if status_before == Post.Status.REJECTED:
            return "Resubmitted. Your post waits for a moderator again before readers see it."
        return "Saved. Your post waits for a moderator before readers see it."
    return "Edit saved."


@login_required
def post_history(request, pk):
    post, _membership = member_post(request, pk)
    refused = ModerationAction.objects.filter(
        revision=OuterRef("pk"), action=ModerationAction.Action.REJECT_EDIT
    )
    revisions = list(
        post.revisions.select_related("editor")
        .annotate(refused_by_moderator=Exists(refused))
        .order_by("number")
    )
    if post.author_id != request.user.pk:
        # A rejected edit stays between its writer and the moderators.
        revisions = [r for r in revisions if r.status != Revision.Status.REJECTED]
    versions = [
        {
            "revision": revision,
            "diff": diffs.diff_html(previous.body if previous else "", revision.body),
        }
        for previous, revision in zip([None, *revisions], revisions, strict=False)
    ]
    context = {"post": post, "scene": post.scene, "versions": list(reversed(versions))}
    return render(request, "threads/posting/post_history.html", context)


@login_required
@require_POST
def post_withdraw(request, pk):
    post, _membership = authored_post(request, pk)
    try:
        withdraw_post(post, request.user)
    except PostingError as error:
        messages.error(request, str(error))
        return redirect(post.get_absolute_url())
    messages.success(request, f"Post #{post.number} was withdrawn.")
    return redirect(post.scene.get_absolute_url())
