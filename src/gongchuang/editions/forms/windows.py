from django import forms
from django.utils.translation import gettext_lazy as _


class WindowExtendForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("New closing time (Beijing time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class WindowForm(WindowExtendForm):
    """Both ends of a window; an empty opening time keeps the current one."""

    opens_at = forms.DateTimeField(
        label=_("Opening time (Beijing time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        help_text=_("Leave empty to keep the current opening time."),
    )
    field_order = ["opens_at", "closes_at", "reason"]

    def __init__(self, *args, window, **kwargs):
        super().__init__(*args, **kwargs)
        self.window = window

    def clean(self):
        data = super().clean()
        opens_at = data.get("opens_at") or self.window.opens_at
        closes_at = data.get("closes_at")
        if closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("A window must close after it opens."))
        return data
