"""Reports: a signed-in reader flags a post for the moderators, who decide in the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render

from threads.forms.reports import ReportForm
from threads.lib import ratelimit
from threads.lib.http import safe_next_url
from threads.models import Report

from .access import reportable_post
from .confirmation import email_confirmed

TEMPLATE = "threads/reports/report_form.html"


def _back_url(request, post):
    """Where the reader came from, if it is on this site; else where the post stands."""
    chapter = post.scene.chapter
    if post.is_published and chapter.is_published:
        return safe_next_url(request, chapter.get_absolute_url())
    return safe_next_url(request, post.scene.get_absolute_url())


def _open_report(post, user):
    return Report.objects.filter(
        post=post, reporter=user, resolution=Report.Resolution.OPEN
    ).first()


@login_required
@email_confirmed
def report_post(request, pk):
    post = reportable_post(request, pk)
    context = {"post": post, "back": _back_url(request, post)}
    if request.user.is_suspended:
        context["suspended"] = True
        # A note written before the suspension comes back to copy, not lost.
        context["kept_note"] = request.POST.get("note", "").strip()
        return render(request, TEMPLATE, context, status=403)
    context["existing"] = _open_report(post, request.user)
    if context["existing"] is not None:
        # Already reported and still open: say so rather than offer the form again.
        return render(request, TEMPLATE, context, status=409 if request.method == "POST" else 200)
    form = ReportForm(request.POST or None)
    refusal = ratelimit.hit(request, "report") if request.method == "POST" else None
    if refusal is not None:
        form.add_error(None, refusal.message)  # the note comes back in the form
        context["form"] = form
        return ratelimit.retry_after(render(request, TEMPLATE, context), refusal)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                Report.objects.create(post=post, reporter=request.user, **form.cleaned_data)
        except IntegrityError:
            # The same reader's second tab won the race for "one open report per post".
            context["existing"] = _open_report(post, request.user)
            return render(request, TEMPLATE, context, status=409)
        messages.success(
            request,
            "Thank you for the report. A moderator will look at the post, and we will "
            "e-mail you what they decide.",
        )
        return redirect(context["back"])
    context["form"] = form
    return render(request, TEMPLATE, context, status=400 if form.errors else 200)
