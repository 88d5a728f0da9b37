from django import forms
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import School, Unit
from gongchuang.common.fields import ModelMultipleIdField
from gongchuang.common.widgets import PlainSelect
from gongchuang.editions.models import Category
from gongchuang.submissions.enums import WorkState

from .enums import NEEDS_REASON, UNIT_DECISIONS, ChecklistItem, Decision
from .services import checklist_reason


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search (code or title)"), required=False, max_length=100)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        widget=PlainSelect,
    )
    level = forms.ChoiceField(label=_("Education level"), required=False, widget=PlainSelect)
    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, widget=PlainSelect
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, widget=PlainSelect
    )
    state = forms.ChoiceField(label=_("State"), required=False, widget=PlainSelect)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=PlainSelect,
        choices=[
            ("code", _("Code")),
            ("-code", _("Code, descending")),
            ("-submitted", _("Newest submissions")),
            ("submitted", _("Oldest submissions")),
            ("title", _("Title")),
            ("state", _("State")),
        ],
    )

    def __init__(self, *args, edition, states, schools=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(edition=edition)
        self.fields["category"].empty_label = _("All")
        self.fields["level"].choices = [("", _("All")), *Level.choices]
        self.fields["state"].choices = [("", _("All"))] + [
            (s, WorkState(s).label) for s in WorkState.values if s in states
        ]
        if schools is not None:
            self.fields["school"].queryset = schools
            self.fields["school"].empty_label = _("All")
        else:
            del self.fields["school"]
        if units is not None:
            self.fields["unit"].queryset = units
            self.fields["unit"].empty_label = _("All")
        else:
            del self.fields["unit"]

    def filters(self) -> dict:
        """The valid filters (an invalid one is ignored, the others still apply)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class DecisionForm(forms.Form):
    """The checklist and one decision; failed items become the reason."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Reason / remarks"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Failed checklist items are added to the reason automatically."),
    )

    def __init__(self, *args, decisions=UNIT_DECISIONS, hints=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = {}
        for item in ChecklistItem:
            hint = (hints or {}).get(item)
            items[f"check_{item.value}"] = forms.BooleanField(
                label=item.label,
                required=False,
                initial=hint is not False,
                help_text=_("Automatic check: failed") if hint is False else "",
            )
        self.fields = {**items, **self.fields}
        self.fields["decision"].choices = [(d.value, Decision(d).label) for d in decisions]

    def checklist(self) -> dict[str, bool]:
        return {i.value: bool(self.cleaned_data.get(f"check_{i.value}")) for i in ChecklistItem}

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if not decision:
            return cleaned
        checklist = self.checklist()
        if decision in (Decision.RECOMMEND, Decision.QUALIFY) and not all(checklist.values()):
            raise forms.ValidationError(
                _("Every checklist item must be passed to make this decision."), code="checklist"
            )
        cleaned["reason"] = checklist_reason(
            checklist=checklist if decision in NEEDS_REASON else None,
            note=cleaned.get("note", ""),
        )
        if decision in NEEDS_REASON and not cleaned["reason"]:
            self.add_error(
                "note", _("Give a reason, or untick the checklist items the work fails.")
            )
        return cleaned


class BulkForm(forms.Form):
    decision = forms.ChoiceField(label=_("Action for the selected works"))
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.TextInput()
    )
    works = ModelMultipleIdField(queryset=None, required=True)

    def __init__(self, *args, queue, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["works"].queryset = queue
        self.fields["works"].error_messages["required"] = _("Select at least one work.")
        self.fields["decision"].choices = [(d.value, Decision(d).label) for d in decisions]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in NEEDS_REASON and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Please give a reason for this decision."))
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in sheet (xlsx)"),
        help_text=_("Export the list, fill in the columns Decision and Decision reason, upload."),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The sheet is larger than 10 MB."))
        return f


class UnrecommendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class RemindForm(forms.Form):
    units = ModelMultipleIdField(label=_("Units"), queryset=Unit.objects.all(), required=False)


class SchoolReturnForm(forms.Form):
    """The school coordinator returns a work to its authors: the reason is what they read."""

    reason = forms.CharField(
        label=_("Reason for the return"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please give a reason for the return.")},
        help_text=_("The authors receive it by message, e-mail and SMS."),
    )
