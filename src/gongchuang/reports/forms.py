from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import Unit, User
from gongchuang.editions.models import Category
from gongchuang.submissions.enums import WorkState

from .scope import Filters, Scope


class FilterForm(forms.Form):
    """Dashboard and export filters; the unit choices are limited to the person's scope."""

    unit = forms.ModelChoiceField(
        label=_("District or university"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("All categories"),
    )
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args, scope: Scope, edition, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.all()
        if scope.unit_ids is not None:
            units = units.filter(pk__in=scope.unit_ids)
        self.fields["unit"].queryset = units
        self.fields["category"].queryset = Category.objects.filter(edition=edition)
        self.fields["state"].choices = [("", _("All states")), *WorkState.choices]

    def filters(self) -> Filters:
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            unit_id=data["unit"].pk if data.get("unit") else None,
            category_id=data["category"].pk if data.get("category") else None,
            state=data.get("state") or None,
        )


class CloneForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    slug = forms.SlugField(label=_("Slug"), max_length=20)
    code = forms.CharField(
        label=_("Code prefix"),
        max_length=8,
        validators=[RegexValidator(r"^[A-Za-z0-9]+$", _("Letters and digits only."))],
    )
    name = forms.CharField(label=pgettext_lazy("object name", "Name"), max_length=120)


class TokenForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Account"), queryset=User.objects.none())
    name = forms.CharField(
        label=pgettext_lazy("object name", "Name"),
        max_length=60,
        help_text=_("What the token is for."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(
                is_active=True,
                memberships__role__in=[Role.UNIT_ORGANIZER, Role.COMMITTEE],
            )
            .distinct()
            .order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"
