"""The six-digit code from an authenticator app, checked against one TOTP device."""

from django import forms


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        # verify_token throttles repeated failures and refuses a code already used.
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(
                "That code is not right. Codes change every 30 seconds: check the clock "
                "of the device that shows them, and type the newest one."
            )
        return token
