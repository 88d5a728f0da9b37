from django import forms
from django.utils.translation import gettext_lazy as _


class WindowExtendForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("New closing time (Beijing time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
