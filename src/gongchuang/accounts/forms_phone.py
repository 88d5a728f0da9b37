"""Forms of the SMS-code pages (views/phone.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _


def _code_field(label) -> forms.CharField:
    """The 6-digit code of a text message (empty until one was sent)."""
    return forms.CharField(
        label=label,
        max_length=6,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class _CodeOnConfirm(forms.Form):
    """The "confirm" button needs the code; "send" does not."""

    def clean(self):
        data = super().clean()
        if self.data.get("action") == "confirm" and not data.get("code"):
            self.add_error("code", _("Enter the 6-digit code from the text message."))
        return data


class PhoneForm(_CodeOnConfirm):
    """A phone number, and the code once one was sent ("send" or "confirm" button)."""

    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    code = _code_field(_("Verification code"))


class GuardianCodeForm(_CodeOnConfirm):
    """The code sent to the guardian's number (guardian_sms page), once one was sent."""

    code = _code_field(_("Code sent to the guardian's number"))
