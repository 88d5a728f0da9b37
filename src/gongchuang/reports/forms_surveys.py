"""Forms of the feedback surveys: the committee adds a question; a person answers."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import LIKERT_MAX, LIKERT_MIN, QuestionKind

LIKERT_CHOICES = [(str(v), str(v)) for v in range(LIKERT_MIN, LIKERT_MAX + 1)]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("survey", "Kind"), choices=QuestionKind.choices)
    text = forms.CharField(label=pgettext_lazy("survey", "Question"), max_length=200)


class AnswerForm(forms.Form):
    """One field per question: a 1–5 rating (required) or free text (optional)."""

    def __init__(self, *args, questions, **kwargs):
        # The questions are whole sentences ("…清楚明确", "…有什么建议？"): no ":" after them.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            if q.kind == QuestionKind.LIKERT:
                self.fields[f"q{q.pk}"] = forms.ChoiceField(
                    label=q.text,
                    choices=LIKERT_CHOICES,
                    widget=forms.RadioSelect,
                    help_text=_("1 = strongly disagree, 5 = strongly agree"),
                )
            else:
                self.fields[f"q{q.pk}"] = forms.CharField(
                    label=q.text,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
