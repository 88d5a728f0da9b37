from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import Unit, User
from gongchuang.common.errors import DomainError
from gongchuang.common.files.sniff import KINDS
from gongchuang.common.files.validate import validate_upload
from gongchuang.editions.enums import CategoryCode
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from .enums import StarLevel
from .models import FinalEvent, OnsiteTask, Session

TASK_FILE_MAX_BYTES = 200 * 1024 * 1024


def _checked_upload(f):
    """Validate an on-site task file by its content (any document, media or ZIP kind)."""
    if not f:
        return f
    try:
        validate_upload(f, name=f.name, allowed_kinds=KINDS, max_bytes=TASK_FILE_MAX_BYTES)
    except DomainError as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc
    return f


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # <input type=date> accepts only ISO dates, whatever the language's format.
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


class EventForm(forms.ModelForm):
    class Meta:
        model = FinalEvent
        fields = ["name", "starts_on", "ends_on", "venue", "address"]
        labels = {"name": _("Event name")}
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["kind", "title", "category", "level", "room", "starts_at", "ends_at"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}
        # Own labels: short words like "title" mean something else in other apps' catalogues.
        labels = {
            "kind": _("Session type"),
            "title": _("Session title"),
            "room": _("Room"),
            "starts_at": _("Start time"),
            "ends_at": _("End time"),
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = edition.categories.all()


class AddJudgeForm(forms.Form):
    judge = forms.ModelChoiceField(label=_("Judge"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = (
            User.objects.filter(memberships__role__in=[Role.EXPERT, Role.COMMITTEE])
            .distinct()
            .order_by("real_name")
        )
        self.fields["judge"].label_from_instance = lambda u: u.display_name


class AddParticipantForm(forms.Form):
    work = forms.ModelChoiceField(label=_("Finalist work"), queryset=Work.objects.none())

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Work.objects.filter(
            edition_id=session.event.edition_id, state=WorkState.FINALIST
        ).exclude(final_sessions__session=session)
        if session.category_id:
            qs = qs.filter(category_id=session.category_id)
        if session.level:
            qs = qs.filter(level=session.level)
        self.fields["work"].queryset = qs.order_by("code")


class TaskForm(forms.ModelForm):
    class Meta:
        model = OnsiteTask
        fields = ["title", "statement", "attachment", "time_limit_minutes"]
        labels = {"title": _("Task title")}

    def clean_attachment(self):
        return _checked_upload(self.cleaned_data.get("attachment"))


class ExtensionForm(forms.Form):
    work = forms.ModelChoiceField(label=_("Finalist work"), queryset=Work.objects.none())
    minutes = forms.IntegerField(label=_("Extra minutes"), min_value=1, max_value=240)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].queryset = Work.objects.filter(
            final_sessions__session=session
        ).order_by("code")


class CheckinForm(forms.Form):
    code = forms.CharField(label=_("Check-in code"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SpecialAwardForm(forms.Form):
    name = forms.CharField(label=_("Award name"), max_length=60)
    work = forms.ModelChoiceField(label=_("Finalist work"), queryset=Work.objects.none())
    citation = forms.CharField(label=_("Citation"), max_length=200, required=False)

    def __init__(self, *args, event: FinalEvent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].queryset = Work.objects.filter(
            edition_id=event.edition_id, state=WorkState.FINALIST
        ).order_by("code")


class CorrectionForm(forms.Form):
    """A correction of a published star level (a new decision: old certificates revoked)."""

    work = forms.ModelChoiceField(label=_("Awarded work"), queryset=Work.objects.none())
    star_level = forms.ChoiceField(label=_("Correct star level"), choices=StarLevel.choices)
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, event: FinalEvent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].queryset = Work.objects.filter(
            final_results__event=event, state=WorkState.AWARDED
        ).order_by("code")


class TaskSubmitForm(forms.Form):
    text = forms.CharField(label=_("Answer or notes"), widget=forms.Textarea, required=False)
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False)

    def clean_file(self):
        return _checked_upload(self.cleaned_data.get("file"))


class BatchForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_committee:
            self.fields["unit"].queryset = Unit.objects.all()
        else:
            ids = user.unit_ids_for(Role.UNIT_ORGANIZER)
            self.fields["unit"].queryset = Unit.objects.filter(Q(pk__in=ids))
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=16)

    def clean_code(self) -> str:
        """Upper case; letters and digits only, so that it fits in the /verify/<code>/ URL."""
        code = self.cleaned_data["code"].strip().upper()
        if not (code.isascii() and code.isalnum()):
            raise forms.ValidationError(
                _("A verification code has only letters and digits."), code="invalid"
            )
        return code


class RouteCaseForm(forms.Form):
    """Pick a public teaching case to present in an exchange session."""

    work = forms.ModelChoiceField(label=_("Teaching case"), queryset=Work.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work"].queryset = (
            Work.objects.filter(
                category__code=CategoryCode.TEACHING_CASE, is_public=True, showcase_consent=True
            )
            .select_related("edition")
            .order_by("-edition__year", "title")
        )
        self.fields["work"].label_from_instance = lambda w: f"{w.edition.year} · {w.title}"


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Seats for sign-up"),
        required=False,
        min_value=0,
        max_value=2000,
        help_text=_("Leave empty to close the sign-up."),
    )


class GuidanceSlotForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none())
    starts = forms.TimeField(
        label=pgettext_lazy("time slot", "From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(
        label=pgettext_lazy("time slot", "To"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("Place"), max_length=60, required=False)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: (
            f"{s.title} · {timezone.localtime(s.starts_at):%m-%d %H:%M}"
            f"–{timezone.localtime(s.ends_at):%H:%M}"
        )


class GuidanceNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Guidance notes"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The authors and advisors of the work read these notes."),
    )
