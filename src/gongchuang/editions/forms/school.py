"""The school confirmation option (学校确认) and its window."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import Step

_DATETIME = {
    "required": False,
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
}


class SchoolConfirmationForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Works are confirmed by their school before the unit review"),
        required=False,
        help_text=_(
            "On: a submitted work goes first to its school's coordinator, who confirms it or "
            "returns it to the authors with a reason; only confirmed works reach the unit. "
            "Works already with their unit stay there. Off: works go straight to the unit."
        ),
    )
    opens_at = forms.DateTimeField(label=_("Confirmation opens (Beijing time)"), **_DATETIME)
    closes_at = forms.DateTimeField(label=_("Confirmation closes (Beijing time)"), **_DATETIME)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )

    @staticmethod
    def initial_for(edition) -> dict:
        window = edition.window(Step.SCHOOL_CONFIRMATION)
        initial = {"enabled": edition.school_confirmation}
        if window is not None:
            initial.update(opens_at=window.opens_at, closes_at=window.closes_at)
        return initial

    def clean(self):
        data = super().clean()
        if data.get("enabled"):
            for name in ("opens_at", "closes_at"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Required while school confirmation is on."))
            opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
            if opens_at and closes_at and closes_at <= opens_at:
                self.add_error("closes_at", _("A window must close after it opens."))
        return data

    def values(self) -> dict:
        return dict(self.cleaned_data)
