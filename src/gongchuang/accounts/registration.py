"""Self-registration that does not tell anyone whether an e-mail or mobile number is known.

A registration that gives an e-mail address (required when a mobile number is given,
see forms) is always answered "check your inbox", whatever happens behind it:

- both the address and the number are free: the account is created inactive and the
  address gets an activation link (``activation_url``); the link works for
  ``PASSWORD_RESET_TIMEOUT`` seconds;
- the address or the number already belongs to an account: no usable account is
  created (only the username is held, as a new account would hold it) and each holder
  is told (inbox and e-mail) that someone tried to register with it; if only the number
  is taken, the given address is told the registration could not be completed (a number
  cannot be proven without SMS, so its holder is not named).

A mobile number given at registration is proven by an SMS code first
(``registration_phones_prove``); a proven number may be told that it already has an
account (only its holder can read the code). With a proven number and no e-mail, or
with neither, the account is active and signed in at once. A student may choose that
key notices go by SMS to the guardian too: the guardian's number is proven by a code
of its own. An expired, never activated registration gives its
address and number back to the next one (``_release_expired``).
"""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent

from . import outbox, services
from .enums import PhoneCodePurpose
from .models import User
from .outbox import email_send, notify

REGISTER_ACTIONS = ("account.register_student", "account.register_teacher")
PROFILE_FIELDS = {
    "student": (
        "level", "school", "grade", "birth_date", "document_type", "document_number",
        "guardian_name", "guardian_phone", "guardian_consent", "guardian_sms",
    ),
    "teacher": ("kind", "school", "subject"),
}  # fmt: skip


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Links that activate a new account: void once it is active or its address changed."""

    key_salt = "gongchuang.accounts.registration.ActivationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


activation_tokens = ActivationTokenGenerator()


def activation_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:activate", args=[uid, activation_tokens.make_token(user)])


# The numbers a registration form proves by code: (number field, code field, purpose).
CODE_FIELDS = (
    ("mobile", "mobile_code", PhoneCodePurpose.REGISTER),
    ("guardian_phone", "guardian_code", PhoneCodePurpose.GUARDIAN),
)


def numbers_to_prove(data: dict) -> list[tuple[str, str, str]]:
    """The (number field, code field, purpose) of ``data`` that need a code: the
    mobile number when given, the guardian's when notices by SMS go to it."""
    wanted = {"mobile": bool(data.get("mobile")), "guardian_phone": bool(data.get("guardian_sms"))}
    return [row for row in CODE_FIELDS if wanted[row[0]] and data.get(row[0])]


def registration_phones_prove(*, data: dict, proven: set[str]) -> None:
    """Check the codes of the numbers ``data`` must prove, skipping those in ``proven``
    ("purpose:number" proven earlier in this browser session) and adding each one
    proven now, also when a later one fails: DomainError (``code``: the code field) on
    the first wrong code. Outside any transaction: a wrong guess must stay counted."""
    for field, code_field, purpose in numbers_to_prove(data):
        number = outbox.phone_normalise(data[field])
        if f"{purpose}:{number}" in proven:
            continue
        if not data.get(code_field):
            raise DomainError(_("Enter the 6-digit code from the text message."), code=code_field)
        try:
            outbox.phone_code_check(phone=number, purpose=purpose, code=data[code_field])
        except DomainError as exc:
            raise DomainError(exc.message, code=code_field) from exc
        proven.add(f"{purpose}:{number}")


@transaction.atomic
def registration_submit(*, kind: str, data: dict) -> User | None:
    """Register from a valid form of ``kind`` ("student", "teacher") whose numbers were
    proven (``registration_phones_prove``).

    Returns the new, active account to sign in when no e-mail was given; otherwise None,
    and the caller must answer the same way whatever happened (see the module docstring).
    DomainError (``code`` "mobile") when the proven mobile number has an account.
    """
    email, mobile = data["email"], data["mobile"]
    _release_expired(email=email, mobile=mobile)
    if mobile and User.objects.filter(mobile=mobile).exists():
        raise _mobile_taken()
    if not email:
        try:
            with transaction.atomic():
                return _create(kind, data, active=True)
        except IntegrityError as exc:  # the same proven number registered a moment ago
            if mobile and User.objects.filter(mobile=mobile).exists():
                raise _mobile_taken() from exc
            raise
    if not _holders(email=email, mobile=mobile):
        try:
            with transaction.atomic():
                user = _create(kind, data, active=False)
        except IntegrityError:  # a registration with the same address won the race
            pass
        else:
            _send_activation(user)
            return None
    _reserve_username(data["username"], data["password1"])
    _tell_holders(email=email, mobile=mobile, username=data["username"])
    return None


def _mobile_taken() -> DomainError:
    return DomainError(
        _(
            "This mobile number already has an account. Log in with an SMS code, "
            "or reset the password on the login page."
        ),
        code="mobile",
    )


def _reserve_username(username: str, password: str) -> None:
    """Hold the chosen username as a new account would (inactive, no contact details).

    Otherwise registering the same username again would tell, by "this username is
    taken" or not, whether the first registration's address was known. The password
    is hashed as for a new account, so the answer takes as long too.
    """
    try:
        with transaction.atomic():
            placeholder = User.objects.create_user(
                username=username, password=password, is_active=False
            )
    except IntegrityError:  # taken meanwhile by a registration of that username
        return
    audit_record(
        actor=None,
        action="account.username_reserved",
        obj=placeholder,
        reason="registration with an e-mail address or mobile number that has an account",
    )


@transaction.atomic
def account_activate(*, user: User) -> User:
    """Activate an account registered with an e-mail address (its link was checked)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.is_active:
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        audit_record(actor=locked, action="account.activate", obj=locked)
    return locked


def _create(kind: str, data: dict, *, active: bool) -> User:
    register = services.student_register if kind == "student" else services.teacher_register
    return register(
        username=data["username"],
        password=data["password1"],
        real_name=data["real_name"],
        email=data["email"],
        mobile=data["mobile"],
        mobile_verified=bool(data["mobile"]),
        active=active,
        **{name: data[name] for name in PROFILE_FIELDS[kind]},
    )


def _holders(*, email: str, mobile: str) -> list[User]:
    match = Q(pk__in=[])
    if email:
        match |= Q(email__iexact=email)
    if mobile:
        match |= Q(mobile=mobile)
    return list(User.objects.filter(match).order_by("pk"))


def _send_activation(user: User) -> None:
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    email_send(
        to=user.email,
        title=_("Please activate your account"),
        body=_(
            "Hello %(name)s,\n\nan account “%(username)s” was registered on the platform with "
            "this e-mail address. To finish the registration, open the link below within "
            "%(days)s days.\n\nIf you did not register, ignore this e-mail: the account will "
            "not be activated."
        )
        % {"name": user.real_name, "username": user.username, "days": days},
        url=activation_url(user),
    )


def _tell_holders(*, email: str, mobile: str, username: str) -> None:
    """Tell each holder of the address or number; no account is created."""
    holders = _holders(email=email, mobile=mobile)
    for holder in holders:
        notify(
            recipients=[holder],
            kind="account.register_attempt",
            title=_("Someone tried to register with your contact details"),
            body=_(
                "Someone (perhaps you) tried to register a new account “%(attempt)s” with "
                "the e-mail address or mobile number of your account “%(username)s”. "
                "No new account was created.\n\nIf it was you: log in with your account, "
                "or reset your password on the login page. If you registered recently but "
                "have not activated the account yet, use the link in the earlier e-mail. "
                "If it was not you, you need not do anything."
            )
            % {"attempt": username, "username": holder.username},
            url=reverse("accounts:login"),
        )
        audit_record(
            actor=None,
            action="account.register_known_contact",
            obj=holder,
            after={
                "email": holder.email.lower() == email.lower(),
                "mobile": bool(mobile) and holder.mobile == mobile,
            },
        )
    if not any(h.email.lower() == email.lower() for h in holders):
        email_send(
            to=email,
            title=_("Your registration could not be completed"),
            body=_(
                "Someone (perhaps you) tried to register an account “%(username)s” with this "
                "e-mail address. It could not be completed: the other details given, such "
                "as the mobile number, may already belong to an account. If you have an "
                "account, log in or reset your password on the login page; otherwise ask "
                "your school coordinator for help. If it was not you, ignore this e-mail."
            )
            % {"username": username},
            url=reverse("accounts:login"),
        )


def _release_expired(*, email: str, mobile: str) -> None:
    """Free the address and number of registrations never activated in time."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    user_type = ContentType.objects.get_for_model(User)
    for holder in _holders(email=email, mobile=mobile):
        if holder.is_active or holder.last_login or holder.date_joined >= cutoff:
            continue
        events = AuditEvent.objects.filter(content_type=user_type, object_id=str(holder.pk))
        if events.filter(action="account.activate").exists():
            continue  # activated once, disabled later: not a registration of ours to free
        if not events.filter(action__in=REGISTER_ACTIONS, after__active=False).exists():
            continue
        before = {"email": bool(holder.email), "mobile": bool(holder.mobile)}
        User.objects.filter(pk=holder.pk).update(email="", mobile="")
        audit_record(
            actor=None,
            action="account.registration_expired",
            obj=holder,
            before=before,
            after={"email": False, "mobile": False},
            reason="not activated within PASSWORD_RESET_TIMEOUT",
        )
