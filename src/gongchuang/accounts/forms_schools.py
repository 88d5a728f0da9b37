"""Forms of the school list pages (accounts.views.schools)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import Level, SchoolKind, SchoolType
from .models import School
from .schools import CODE_MAX, NAME_MAX, units_for_school_admin

REASON_MAX = 200


class SchoolForm(forms.Form):
    """Add or edit a school; ``unit`` is offered only when adding."""

    unit = forms.ModelChoiceField(label=_("District or university"), queryset=None)
    name = forms.CharField(label=_("School name"), max_length=NAME_MAX)
    code = forms.CharField(
        label=_("School code"),
        max_length=CODE_MAX,
        required=False,
        help_text=_("Optional; unique within the district or university."),
    )
    school_type = forms.ChoiceField(
        label=_("School type"),
        choices=[("", "—"), *SchoolType.choices],
        required=False,
    )
    levels = forms.MultipleChoiceField(
        label=_("Levels taught"),
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(label=_("Kind of school"), choices=SchoolKind.choices, initial=SchoolKind.SCHOOL)

    def __init__(self, *args, user, school: School | None = None, **kwargs):
        if school is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": school.name,
                    "code": school.code,
                    "school_type": school.school_type,
                    "levels": school.levels,
                    "kind": school.kind,
                },
            )
        super().__init__(*args, **kwargs)
        if school is not None:
            del self.fields["unit"]
        else:
            units = units_for_school_admin(user)
            self.fields["unit"].queryset = units
            if units.count() == 1:
                self.fields["unit"].initial = units.first()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "code": data["code"],
            "school_type": data["school_type"],
            "levels": data["levels"],
            "kind": data["kind"],
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(ReasonForm):
    """Choose the school that absorbs ``source`` (an active school of the same unit)."""

    target = forms.ModelChoiceField(label=_("Merge into"), queryset=None)
    field_order = ["target", "reason"]

    def __init__(self, *args, source: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            School.objects.filter(unit_id=source.unit_id, is_active=True)
            .exclude(pk=source.pk)
            .order_by("name")
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx, .xls or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )
    unit = forms.ModelChoiceField(
        label=_("District or university"),
        queryset=None,
        required=False,
        help_text=_("For rows whose unit code column is empty."),
    )
    field_order = ["unit", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_for_school_admin(user)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()
