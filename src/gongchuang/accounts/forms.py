import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import DocumentType, Level, TeacherKind
from .identity import BIRTH_DATE_DOCUMENTS, age_on, birth_date_from_national_id, validate_document
from .models import School, Unit, User
from .validators import mobile_validator

GUARDIAN_AGE = 14


class LoginForm(AuthenticationForm):
    # No account name is longer than an e-mail address; a longer one is refused before the
    # failed-login record (which keeps at most 255 characters) is written.
    username = forms.CharField(
        label=_("Username, e-mail or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("The account or password is not correct. Please try again."),
        "inactive": _("This account is disabled."),
    }


def _code_button(field: forms.Field, *, number_field: str) -> None:
    """Show a "send code" button for ``number_field`` under the code ``field``
    (includes/form.html renders ``extra_template``; views/register.py sends the code)."""
    field.extra_template = "accounts/_sms_code_button.html"
    field.number_field = number_field
    field.resend_seconds = settings.SMS_CODE_RESEND_SECONDS
class ResetByEmailForm(PasswordResetForm):
    """Django's reset form, for every active account with the address.

    Django skips accounts whose password is unusable: an expert imported with no password,
    or anyone who never set one, got "check your mail" and no mail. Here they get the
    link like everyone else (it sets their first password). Anonymised accounts get
    nothing. The page answers the same whether or not the address has an account.
    """

    def get_users(self, email):
        return (
            user
            for user in User.objects.filter(
                email__iexact=email, is_active=True, is_anonymised=False
            ).exclude(email="")
            if user.email.lower() == email.lower()
        )


class _AccountFields(forms.Form):
    """Fields every self-registered account has."""

    username = forms.RegexField(
        label=_("Username"),
        max_length=30,
        regex=r"^[A-Za-z0-9_.-]{4,30}$",
        help_text=_("4–30 letters, digits, dots, hyphens or underscores."),
        error_messages={"invalid": _("Use 4–30 letters, digits, dots, hyphens or underscores.")},
    )
    real_name = forms.CharField(label=_("Real name"), max_length=60)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("With an e-mail address, the account is activated by a link sent to it."),
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        required=False,
        validators=[mobile_validator],
        help_text=_(
            "Proven by a code sent to it; with a proven number, no e-mail address is needed."
        ),
    )
    mobile_code = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    unit = forms.ModelChoiceField(
        label=_("District or university"),
        queryset=Unit.objects.all(),
        empty_label=_("— choose your district or university —"),
    )
    school = forms.ModelChoiceField(
        label=_("School or institution"),
        queryset=School.objects.filter(is_active=True).select_related("unit"),
        empty_label=_("— choose your school —"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_button(self.fields["mobile_code"], number_field="mobile")
        # With htmx, choosing a unit narrows the school list; without JS all schools remain.
        self.fields["unit"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("accounts:school_options"),
                "hx-target": "#id_school",
                "hx-trigger": "change",
                # A school picked before the narrowed list arrives stays picked.
                "hx-include": "#id_school",
            }
        )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken. Please choose another."))
        return username

    def clean_real_name(self):
        """Without invisible format characters (U+200B…) or outer spaces."""
        name = self.cleaned_data["real_name"]
        return "".join(c for c in name if unicodedata.category(c) != "Cf").strip()

    # Whether an e-mail address or mobile number already has an account is never said
    # here: accounts.registration answers the same either way and tells the holder (a
    # number proven by its code is told, as only its holder can read the code).
    def clean_email(self):
        return self.cleaned_data.get("email", "").strip().lower()

    def clean_mobile(self):
        return self.cleaned_data.get("mobile", "").strip()

    def clean(self):
        data = super().clean()
        unit, school = data.get("unit"), data.get("school")
        if unit and school and school.unit_id != unit.pk:
            self.add_error(
                "school", _("This school does not belong to the chosen district or university.")
            )
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            probe = User(
                username=data.get("username", ""),
                real_name=data.get("real_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class StudentRegistrationForm(_AccountFields):
    level = forms.ChoiceField(label=_("Education level"), choices=Level.choices)
    grade = forms.CharField(
        label=_("Grade"), max_length=20, help_text=_("For example: 五年级, 初二, 高一, 大二.")
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    document_type = forms.ChoiceField(
        label=_("Identity document"), choices=DocumentType.choices, initial=DocumentType.RESIDENT_ID
    )
    document_number = forms.CharField(
        label=_("Identity document number"),
        max_length=40,
        help_text=_(
            "Used only to make sure each student submits one work; stored as a one-way code, never in clear."
        ),
    )
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=60, required=False)
    guardian_phone = forms.CharField(
        label=_("Guardian's mobile number"), required=False, validators=[mobile_validator]
    )
    guardian_sms = forms.BooleanField(
        label=_("Send key notices by SMS to the guardian too"),
        required=False,
        help_text=_(
            "Returned for changes, deadline reminders, finalist and results: the guardian's "
            "number is proven by a code sent to it."
        ),
    )
    guardian_code = forms.CharField(
        label=_("Code sent to the guardian's number"),
        required=False,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )
    guardian_consent = forms.BooleanField(
        label=_(
            "As the guardian, I agree that this student takes part and that the data above is processed for the activity."
        ),
        required=False,
    )
    privacy_ack = forms.BooleanField(
        label=_("I have read the privacy notice."),
        required=True,
        error_messages={"required": _("Please read and accept the privacy notice.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_button(self.fields["guardian_code"], number_field="guardian_phone")

    def clean(self):
        data = super().clean()
        if data.get("guardian_sms") and not data.get("guardian_phone"):
            if "guardian_phone" not in self.errors:
                self.add_error(
                    "guardian_phone",
                    _("Give the guardian's mobile number to send notices to it."),
                )
        birth_date, number = data.get("birth_date"), self._document_number(data)
        if birth_date and birth_date > timezone.localdate():
            self.add_error("birth_date", _("The date of birth cannot be in the future."))
        if (
            birth_date
            and number
            and data.get("document_type") in BIRTH_DATE_DOCUMENTS
            and birth_date_from_national_id(number) != birth_date
        ):
            self.add_error(
                "document_number",
                _("The date of birth does not match the identity document number."),
            )
        if birth_date and age_on(birth_date, timezone.localdate()) < GUARDIAN_AGE:
            missing = _("Students under 14 need a guardian: this field is required.")
            for name in ("guardian_name", "guardian_phone"):
                if not data.get(name):
                    self.add_error(name, missing)
            if not data.get("guardian_consent"):
                self.add_error(
                    "guardian_consent",
                    _(
                        "Students under 14 can only register with their guardian's consent. Please ask your guardian to tick this box."
                    ),
                )
        return data

    def _document_number(self, data: dict) -> str:
        """The validated, normalised number (in ``data``), or "" with the error on the field."""
        kind, value = data.get("document_type"), data.get("document_number")
        if not kind or not value:
            return ""
        try:
            data["document_number"] = validate_document(kind, value)
        except ValidationError as exc:
            self.add_error("document_number", exc)
            return ""
        return data["document_number"]


class TeacherRegistrationForm(_AccountFields):
    kind = forms.ChoiceField(label=_("Teacher type"), choices=TeacherKind.choices)
    subject = forms.CharField(label=_("Subject taught"), max_length=60, required=False)
    privacy_ack = forms.BooleanField(
        label=_("I have read the privacy notice."),
        required=True,
        error_messages={"required": _("Please read and accept the privacy notice.")},
    )

    def clean_mobile(self):
        mobile = super().clean_mobile()
        if not mobile:
            raise ValidationError(
                _("Teachers need a mobile number so that organisers can reach them.")
            )
        return mobile


class CredentialsSheetForm(forms.Form):
    """Print a credentials sheet for chosen accounts (accounts.views.onboarding)."""

    FORMATS = [("pdf", _("PDF slips to cut (A4)")), ("xlsx", _("Spreadsheet (.xlsx)"))]

    user = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=(),
        error_messages={"required": _("Choose at least one account for the credentials sheet.")},
    )
    fmt = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="pdf")
    confirm = forms.BooleanField(
        label=_(
            "I understand: new one-time passwords are issued, and any sheet printed "
            "earlier for these accounts stops working."
        ),
        error_messages={"required": _("Please confirm that new one-time passwords are issued.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the view checks each account against the permission.
        self.fields["user"].valid_value = lambda value: (
            str(value).isdigit() and len(str(value)) < 10
        )
