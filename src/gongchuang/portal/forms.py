from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.accounts.enums import Level, Role, UnitKind
from gongchuang.accounts.models import Unit
from gongchuang.editions.enums import CategoryCode
from gongchuang.editions.models import Edition
from gongchuang.submissions.enums import AiTopic, CaseSubject

from .selectors import editions_with_public_content


class NoticeForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("portal", "Title"), max_length=120)
    summary = forms.CharField(
        label=pgettext_lazy("portal", "Summary"),
        max_length=200,
        required=False,
        help_text=_("One sentence shown in lists and when the notice is shared."),
    )
    body = forms.CharField(
        label=pgettext_lazy("portal", "Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Markdown: # headings, **bold**, - lists, [link](https://…), ![image](address). "
            "Scripts and styles are removed."
        ),
    )
    publish_at = forms.DateTimeField(
        label=_("Publication time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish at once; a future time schedules the notice."),
    )
    unit = forms.ModelChoiceField(
        label=_("Organising unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("City committee (all of Beijing)"),
    )
    attachment = forms.FileField(
        label=_("Add an attachment"),
        required=False,
        help_text=_("PDF, Word, PowerPoint, Excel, ZIP or image, at most 50 MB."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_committee:
            self.fields["unit"].queryset = Unit.objects.all()
        else:
            units = Unit.objects.filter(pk__in=user.unit_ids_for(Role.UNIT_ORGANIZER))
            self.fields["unit"].queryset = units
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None


class GuideDocumentForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("portal", "Title"), max_length=120)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, PowerPoint, Excel or ZIP."))


def _choices(pairs, blank):
    return [("", blank), *pairs]


class ShowcaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    edition = forms.ChoiceField(label=_("Edition"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    level = forms.ChoiceField(label=_("Education level"), required=False)
    unit = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = _choices(
            [(e.slug, e.name) for e in editions_with_public_content()], _("All editions")
        )
        self.fields["category"].choices = _choices(
            [(c.value, c.label) for c in CategoryCode if c != CategoryCode.TEACHING_CASE],
            _("All categories"),
        )
        self.fields["level"].choices = _choices(Level.choices, _("All levels"))
        self.fields["unit"].choices = _choices(
            Unit.objects.filter(kind=UnitKind.DISTRICT).values_list("code", "name"),
            _("All districts"),
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "edition_slug": data["edition"],
            "category": data["category"],
            "level": data["level"],
            "unit": data["unit"],
            "q": data["q"].strip(),
        }


class CaseFilterForm(forms.Form):
    """The teaching-case library's filters: 学段, subject and AI topic (数据 / 算法 / 算力)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    case_level = forms.ChoiceField(label=_("Education level"), required=False)
    case_subject = forms.ChoiceField(
        label=pgettext_lazy("school subject", "Subject"), required=False
    )
    ai_topic = forms.ChoiceField(label=_("AI topic"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_level"].choices = _choices(Level.choices, _("All levels"))
        self.fields["case_subject"].choices = _choices(CaseSubject.choices, _("All subjects"))
        self.fields["ai_topic"].choices = _choices(AiTopic.choices, _("All topics"))

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "case_level": data["case_level"],
            "case_subject": data["case_subject"],
            "ai_topic": data["ai_topic"],
            "q": data["q"].strip(),
        }


class ImportForm(forms.Form):
    edition = forms.ModelChoiceField(label=_("Edition"), queryset=Edition.objects.all())
    spreadsheet = forms.FileField(label=_("Spreadsheet (XLSX)"))
    archive = forms.FileField(label=_("Files (ZIP)"), required=False)
