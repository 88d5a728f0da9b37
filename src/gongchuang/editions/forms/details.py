"""The edition's name, theme and organising bodies (shown on the portal and certificates)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LINES = forms.Textarea(attrs={"rows": 4})
# Keys of ``Edition.organisers``, as the portal's home page reads them.
BODIES = ("hosts", "organisers", "co_organisers")


class EditionDetailsForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("edition", "Name"), max_length=120)
    theme = forms.CharField(label=_("Theme"), max_length=120)
    hosts = forms.CharField(label=_("Hosts"), widget=LINES, help_text=_("One per line."))
    organisers = forms.CharField(
        label=_("Organisers"), widget=LINES, required=False, help_text=_("One per line.")
    )
    co_organisers = forms.CharField(
        label=_("Co-organisers"), widget=LINES, required=False, help_text=_("One per line.")
    )

    @staticmethod
    def initial_for(edition) -> dict:
        bodies = edition.organisers or {}
        initial = {"name": edition.name, "theme": edition.theme}
        initial.update({key: "\n".join(bodies.get(key, [])) for key in BODIES})
        return initial

    def values(self) -> dict:
        data = self.cleaned_data
        organisers = {
            key: [line.strip() for line in data[key].splitlines() if line.strip()] for key in BODIES
        }
        return {
            "name": data["name"].strip(),
            "theme": data["theme"].strip(),
            "organisers": organisers,
        }
