"""Forms for signing up, the writer's profile and their e-mail preferences."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from threads.accounts import invitations
from threads.forms.fields import MarkdownField, NameField
from threads.lib import ratelimit

User = get_user_model()

BIO_MAX_LENGTH = 5_000


class HoneypotInput(forms.TextInput):
    """A text input out of sight, out of the tab order and out of assistive technology,
    with its own label asking to leave it empty, for the person who finds it anyway."""

    def __init__(self):
        super().__init__(attrs={"tabindex": "-1", "autocomplete": "off"})

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        label_for = (attrs or {}).get("id", "")
        return format_html(
            '<div class="visually-hidden" aria-hidden="true"><label for="{}">Leave this field '
            "empty</label> {}</div>",
            label_for,
            field,
        )


class SignupForm(UserCreationForm):
    """Username, e-mail and the password twice. The e-mail is required: it is how a writer
    resets a forgotten password and hears about invitations and turns.

    Whether an account already uses the address is never said here (the address is "never
    shown to anyone"): threads.accounts.confirmation.sign_up says it by e-mail, to the address."""

    email = forms.EmailField(
        label="E-mail",
        help_text=(
            "We send a link to confirm it. For password resets and the notices you choose. "
            "Never shown to anyone."
        ),
    )

    invite = forms.CharField(
        label="Invitation code",
        max_length=500,
        help_text="Sign-up here is by invitation: paste the code from yours.",
    )
    # A honeypot: hidden from people (CSS, aria-hidden, out of the tab order, and a label
    # asking to leave it empty), filled by form-filling bots. See ``is_bot``.
    website = forms.CharField(label="", required=False, max_length=200, widget=HoneypotInput)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.RP_REGISTRATION != "invite":
            del self.fields["invite"]

    def clean(self):
        cleaned = super().clean()
        if "invite" in self.fields and cleaned.get("invite") and cleaned.get("email"):
            try:
                invitations.check(cleaned["invite"], cleaned["email"])
            except invitations.InvitationError as error:
                self.add_error("invite", str(error))
        return cleaned

    def is_bot(self):
        """Whether the honeypot was filled: the caller answers as for a sign-up, and
        creates nothing."""
        return bool(self.cleaned_data.get("website"))


class LoginForm(AuthenticationForm):
    """Django's login form, with failed logins limited per account name typed and per
    client address. Past either limit the password is not checked at all, so guessing
    stops even for a right guess; ``refusal`` then says why and for how long."""

    # Declared bounded (Django bounds it only once the form is made) for tests/test_bad_input.
    username = UsernameField(max_length=150, widget=forms.TextInput(attrs={"autofocus": True}))
    refusal = None

    def clean(self):
        account = (self.cleaned_data.get("username") or "").casefold()
        self.refusal = ratelimit.reached(
            self.request, "login_account", account
        ) or ratelimit.reached(self.request, "login_address")
        if self.refusal is not None:
            raise ValidationError(self.refusal.message, code="too_many")
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                ratelimit.hit(self.request, "login_account", account)
                ratelimit.hit(self.request, "login_address")
            raise


class ProfileForm(forms.ModelForm):
    """The public profile, and the e-mail address. Password resets go to that address, so
    changing it asks for the current password: otherwise a session left open (or stolen)
    could redirect the resets and take the account."""

    bio = MarkdownField(
        label="Bio",
        max_length=BIO_MAX_LENGTH,
        rows=8,
        help_text="Markdown: *italic*, **bold**, links. Shown on your writer page.",
    )
    current_password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only to change your e-mail address.",
    )

    field_order = ("display_name", "pronouns", "email", "current_password", "bio")

    class Meta:
        model = User
        fields = ("display_name", "pronouns", "email", "bio")
        field_classes = {"display_name": NameField, "pronouns": NameField}
        help_texts = {
            "display_name": "What readers see beside your posts. Leave empty to use your username.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.saved_email = self.instance.email
        # The address asked for, once the form is valid: it takes effect only when the link
        # sent to it is followed (threads.accounts.confirmation.change_email).
        self.new_email = None

    def save(self, commit=True):
        # Whether another account uses the new address is said only to that address, by
        # e-mail, so the form never tells; the account keeps its address meanwhile.
        if "email" in self.changed_data:
            self.new_email = self.instance.email
            self.instance.email = self.saved_email
        return super().save(commit)

    def clean(self):
        cleaned = super().clean()
        # The instance still holds the saved address and password until the form saves.
        if "email" in self.changed_data and not self.instance.check_password(
            cleaned.get("current_password", "")
        ):
            message = (
                "Enter your current password to change your e-mail address."
                if not cleaned.get("current_password")
                else "That is not your current password, so the e-mail address is unchanged."
            )
            self.add_error("current_password", message)
        return cleaned


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("notify_on_turn", "notify_on_invitation", "notify_on_moderation")
        fields += ("notify_on_comment",)  # threads.library.comments
        # The moderation e-mails cover a writer's posts and the reports they sent.
        labels = {
            "notify_on_moderation": "E-mail me when a moderator decides on my post or report",
        }
