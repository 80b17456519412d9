"""Accounts: signing up, the writer's profile and e-mail preferences.

Logging in and out, password change and password reset are Django's own views (included
under accounts/ in rp_archive/urls.py) with our templates in templates/registration/.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from threads.forms.accounts import PreferencesForm, ProfileForm, SignupForm
from threads.lib.http import form_status, safe_next_url

from .access import not_suspended

# The reset e-mail as our usual subject / text / html triple. rp_archive/urls.py mounts
# this view at accounts/password_reset/, ahead of Django's own auth URLs.
password_reset = auth_views.PasswordResetView.as_view(
    subject_template_name="emails/password_reset_subject.txt",
    email_template_name="emails/password_reset.txt",
    html_email_template_name="emails/password_reset.html",
)


@sensitive_post_parameters("password1", "password2")
def signup(request):
    """Create an account and sign straight in."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    next_url = safe_next_url(request)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}. Your account is ready.")
        return redirect(next_url or "my_stories")
    context = {"form": form, "next": next_url}
    return render(request, "registration/signup.html", context, status=form_status(form))


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
        form.save()
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
