"""Accounts: signing up and confirming an address, the writer's profile and e-mail
preferences.

Logging in and out, password change and password reset are Django's own views (included
under accounts/ in rp_archive/urls.py) with our templates in templates/registration/.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from threads.accounts import confirmation
from threads.forms.accounts import LoginForm, PreferencesForm, ProfileForm, SignupForm
from threads.lib import ratelimit
from threads.lib.emails import QueuedPasswordResetForm
from threads.lib.http import form_status, safe_next_url
from threads.models import generations

from .access import not_suspended
from .confirmation import confirmation_page

# The reset e-mail as our usual subject / text / html triple. rp_archive/urls.py mounts
# this view at accounts/password_reset/, ahead of Django's own auth URLs.
password_reset = auth_views.PasswordResetView.as_view(
    subject_template_name="emails/password_reset_subject.txt",
    email_template_name="emails/password_reset.txt",
    html_email_template_name="emails/password_reset.html",
    form_class=QueuedPasswordResetForm,
)
# Reset e-mails asked for, limited per client address: an inbox is someone's, not a target.
password_reset = ratelimit.limited("password_reset")(password_reset)


class _LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        return ratelimit.retry_after(response, form.refusal) if form.refusal else response


# Django's login view with failed logins limited (LoginForm); rp_archive/urls.py mounts it
# at accounts/login/, ahead of Django's own auth URLs.
login = _LoginView.as_view()


@sensitive_post_parameters("password1", "password2")
@ratelimit.limited("signup")
def signup(request):
    """Create an account, unconfirmed, and send the link that confirms its address. The
    answer is the same when an account already uses the address (confirmation.sign_up
    tells that account by e-mail instead), so sign-up never says which addresses are known;
    the new writer logs in once they have followed the link. A bot that fills the honeypot
    gets that same answer, and nothing is created."""
    if request.user.is_authenticated:
        return redirect("home")
    if settings.RP_REGISTRATION == "closed":
        status = 403 if request.method == "POST" else 200
        return render(request, "registration/signup_closed.html", status=status)
    form = SignupForm(request.POST or None, initial={"invite": request.GET.get("invite", "")})
    next_url = safe_next_url(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not form.is_bot():
            confirmation.sign_up(data["username"], data["email"], data["password1"])
        return redirect("signup_sent")
    context = {"form": form, "next": next_url}
    return render(request, "registration/signup.html", context, status=form_status(form))


def signup_sent(request):
    return render(request, "registration/signup_sent.html")


def confirm_email(request, token):
    """The link from the e-mail opens a page with one button, and the POST confirms: mail
    scanners that open every link in a message cannot confirm an address by themselves."""
    if request.method != "POST":
        return render(request, "registration/confirm_email.html", {"token": token})
    try:
        user = confirmation.confirm(token)
    except confirmation.ConfirmationError as error:
        context = {"token": token, "error": str(error)}
        return render(request, "registration/confirm_email.html", context, status=400)
    if request.user.is_authenticated and request.user.pk == user.pk:
        messages.success(request, f"Your e-mail address {user.email} is confirmed.")
        return redirect("my_stories")
    messages.success(request, "Your e-mail address is confirmed. Log in to start writing.")
    return redirect("login")


RESEND_INTERVAL = 60  # seconds between two confirmation e-mails asked from one session


@login_required
def email_confirmation(request):
    """The page that says to confirm the e-mail address, with a button to send the link again."""
    if request.user.email_confirmed:
        messages.info(request, "Your e-mail address is already confirmed.")
        return redirect("my_stories")
    return confirmation_page(request, status=200)


@require_POST
@login_required
def email_confirmation_resend(request):
    if request.user.email_confirmed:
        messages.info(request, "Your e-mail address is already confirmed.")
        return redirect("my_stories")
    # One button, pressed twice, sends one e-mail: the inbox is someone's, not a target.
    last = request.session.get("confirmation_sent_at", 0)
    if time.time() - last < RESEND_INTERVAL:
        messages.info(request, "The link was sent less than a minute ago. Look in your inbox.")
    else:
        confirmation.send_confirmation(request.user)
        request.session["confirmation_sent_at"] = time.time()
        messages.success(request, f"A new link is on its way to {request.user.email}.")
    return redirect("email_confirmation")


@sensitive_post_parameters("current_password")
@login_required
@not_suspended
def profile_edit(request):
    """Display name, pronouns, bio and e-mail. A new e-mail address needs the current
    password (see ProfileForm), so a borrowed session cannot take over password resets.
    A suspended writer cannot change what readers see of them here."""
    # A copy, so a rejected edit never shows up in the page's header as if saved.
    writer = get_user_model().objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, instance=writer)
    if request.method == "POST" and form.is_valid():
        with generations.changing(generations.bump_writer_stories, writer.pk):  # credits
            form.save()
        if form.new_email:
            confirmation.change_email(writer, form.new_email)
            messages.success(
                request,
                f"Your profile is saved. To move your account to {form.new_email}, follow the "
                "link we are sending there; until then your address stays "
                f"{writer.email}.",
            )
        else:
            messages.success(request, "Your profile is saved.")
        return redirect("profile_edit")
    context = {"form": form}
    return render(request, "threads/accounts/profile_form.html", context, status=form_status(form))


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your e-mail preferences are saved.")
        return redirect("preferences")
    context = {"form": form}
    return render(request, "threads/accounts/preferences.html", context, status=form_status(form))
