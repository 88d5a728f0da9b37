from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from gongchuang.submissions.enums import WorkState

from .enums import ListKind, StatementFrom
from .services import MIN_REASON_CHARS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        min_length=MIN_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("At least 20 characters: what is wrong and how you know it."),
    )
    contact = forms.CharField(label=gettext_lazy("Contact (phone or e-mail)"), max_length=100)
    files = MultipleFileField(
        label=gettext_lazy("Evidence files"),
        required=False,
        help_text=gettext_lazy("Up to 5 files: PDF, images or Word documents, 20 MB each."),
    )


class PublishForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("List"), choices=ListKind.choices)
    title = forms.CharField(label=pgettext_lazy("publicity list", "Title"), max_length=150)


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    # A form, not request.POST: Django's CharField refuses NUL characters and cleans the text.
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=1000, required=False)


class StatementRequestForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("Ask"), choices=StatementFrom.choices)
    deadline = forms.DateTimeField(
        label=gettext_lazy("Deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class DecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=pgettext_lazy("objection", "Decision"),
        choices=[
            ("1", gettext_lazy("Uphold the objection")),
            ("0", gettext_lazy("Dismiss the objection")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    work_state = forms.ChoiceField(
        label=gettext_lazy("If upheld, the work becomes"),
        choices=[
            (WorkState.NOT_SELECTED, WorkState.NOT_SELECTED.label),
            (WorkState.PARTICIPATED, WorkState.PARTICIPATED.label),
            (WorkState.DISQUALIFIED, WorkState.DISQUALIFIED.label),
        ],
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason of the decision"), widget=forms.Textarea(attrs={"rows": 3})
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Statement"), widget=forms.Textarea(attrs={"rows": 6})
    )
