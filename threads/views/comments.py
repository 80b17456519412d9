"""Comments, reports on them, blocks and mutes, and following a story.

Every story is looked up as the reading pages do (readable_story), so none of these can be
used on, or tell anything about, a story the reader may not read. A refused comment comes
back with its text, so nothing typed is lost."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from threads.forms.comments import CommentForm, CommentReportForm, SubscribeForm
from threads.lib import ratelimit
from threads.lib.http import safe_next_url
from threads.library import comments, subscriptions
from threads.models import Comment, CommentReport

from .access import asks_login_for_registered_stories, readable_story


def _chapter(request, slug, number):
    story = readable_story(request, slug)
    return get_object_or_404(story.chapters.published().select_related("story"), number=number)


def _refused(request, chapter, reason, text, status=403):
    context = {"chapter": chapter, "story": chapter.story, "reason": reason, "text": text}
    return render(request, "threads/library/comments/refused.html", context, status=status)


@require_POST
@asks_login_for_registered_stories
def comment_post(request, slug, number):
    chapter = _chapter(request, slug, number)
    form = CommentForm(request.POST)
    text = request.POST.get("body", "")
    if not request.user.is_authenticated:
        return _refused(request, chapter, comments.refusal(chapter.story, request.user), text)
    refusal = ratelimit.hit(request, "comment")
    if refusal is not None:
        response = _refused(request, chapter, refusal.message, text)
        return ratelimit.retry_after(response, refusal)
    if not form.is_valid():
        return _refused(request, chapter, " ".join(form.errors.get("body", [])), text)
    parent = _parent(chapter, form.cleaned_data["parent"])
    try:
        comment = comments.submit(chapter, request.user, form.cleaned_data["body"], parent)
    except comments.CommentRefused as refusal:
        return _refused(request, chapter, str(refusal), text)
    if comment.is_approved:
        messages.success(request, "Your comment is posted.")
    else:
        messages.success(request, "Thank you: your comment shows once a moderator approves it.")
    return redirect(comment.get_absolute_url())


def _parent(chapter, pk):
    if pk is None:
        return None
    return Comment.objects.filter(pk=pk, chapter=chapter).first()


def _visible_comment(request, pk):
    """A comment the reader sees, on a story and chapter they may read."""
    comment = get_object_or_404(Comment.objects.select_related("chapter__story", "author"), pk=pk)
    _chapter(request, comment.chapter.story.slug, comment.chapter.number)
    if not comment.is_approved and comment.author_id != request.user.pk:
        raise Http404("No such comment.")
    return comment


@login_required
def comment_report(request, pk):
    comment = _visible_comment(request, pk)
    back = safe_next_url(request, comment.get_absolute_url())
    if not comments.reportable(comment, request.user):
        messages.error(request, "You cannot report this comment.")
        return redirect(back)
    form = CommentReportForm(request.POST or None)
    refusal = ratelimit.hit(request, "report") if request.method == "POST" else None
    if refusal is not None:
        form.add_error(None, refusal.message)  # the note comes back in the form
        context = {"comment": comment, "form": form, "back": back}
        response = render(request, "threads/library/comments/report_form.html", context)
        return ratelimit.retry_after(response, refusal)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                CommentReport.objects.create(
                    comment=comment, reporter=request.user, **form.cleaned_data
                )
        except IntegrityError:
            messages.info(request, "You have already reported this comment.")
            return redirect(back)
        messages.success(request, "Thank you for the report. A moderator will look at it.")
        return redirect(back)
    context = {"comment": comment, "form": form, "back": back}
    status = 400 if form.errors else 200
    return render(request, "threads/library/comments/report_form.html", context, status=status)


def _person(username):
    return get_object_or_404(get_user_model(), username=username, is_active=True)


def _toggle(request, undo, do, done, undone):
    """Apply ``do`` (or ``undo`` when the form says undo=1), say so, and go back.

    ``do`` may refuse (CommentRefused); the refusal is the message then."""
    if request.POST.get("undo") == "1":
        undo()
        messages.success(request, undone)
    else:
        try:
            do()
        except comments.CommentRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, done)
    return redirect(safe_next_url(request, "/"))


@require_POST
@login_required
def block_reader(request, username):
    """A writer keeps a reader from commenting on their stories (or lets them again)."""
    reader = _person(username)
    return _toggle(
        request,
        undo=lambda: comments.unblock(request.user, reader),
        do=lambda: comments.block(request.user, reader),
        done=f"{reader.name} can no longer comment on your stories.",
        undone=f"{reader.name} may comment on your stories again.",
    )


@require_POST
@login_required
def mute_writer(request, username):
    """A reader keeps a writer's stories out of their lists (or lets them back)."""
    writer = _person(username)
    return _toggle(
        request,
        undo=lambda: comments.unmute(request.user, writer),
        do=lambda: comments.mute(request.user, writer),
        done=f"{writer.name}'s stories are out of your lists.",
        undone=f"{writer.name}'s stories are back in your lists.",
    )


@require_POST
@login_required
def subscribe(request, slug):
    story = readable_story(request, slug)
    form = SubscribeForm(request.POST)
    if request.POST.get("stop") == "1":
        subscriptions.unsubscribe(request.user, story)
        messages.success(request, "You no longer follow this story.")
    elif form.is_valid():
        try:
            subscriptions.subscribe(request.user, story, form.cleaned_data["mode"])
        except subscriptions.SubscriptionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "You follow this story now. We will e-mail you.")
    return redirect(story)


# The link in the e-mail is the reader's authority, not a session: it works logged out, and
# mail clients POST to it without a CSRF token (RFC 8058). GET only asks, so a link scanner
# that follows it changes nothing.
@csrf_exempt
def unsubscribe(request, token):
    subscription = subscriptions.from_token(token)
    if subscription is None:
        return render(request, "threads/library/comments/unsubscribe.html", {}, status=400)
    story = subscription.story
    if request.method == "POST":
        subscription.delete()
        context = {"story": story, "done": True}
        return render(request, "threads/library/comments/unsubscribe.html", context)
    context = {"story": story, "token": token}
    return render(request, "threads/library/comments/unsubscribe.html", context)
