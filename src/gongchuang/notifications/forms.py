from django import forms
from django.utils.translation import gettext_lazy as _


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 8}))
    sms_text = forms.CharField(
        label=_("Text message"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to people with a verified mobile number. Empty: the built-in text."),
    )
    sms_template_code = forms.CharField(
        label=_("SMS template code"),
        max_length=64,
        required=False,
        help_text=_(
            "The provider's approved template for this text, e.g. SMS_123456789. "
            "Empty: the one set in SMS_TEMPLATE_CODES."
        ),
    )

    def __init__(self, *args, sms: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not sms:
            del self.fields["sms_text"], self.fields["sms_template_code"]
