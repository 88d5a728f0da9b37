"""Password rules: composition, age and history (等保 2.0 身份鉴别: periodic change, no reuse).

ASVS 5.0 advises against forced rotation; the competition follows 等保 practice
instead, for staff accounts only (docs/security.md, "Deviations"). Students and
teachers are never forced to change their password.

- ``password_is_expired(user)``: a staff password older than ``PASSWORD_MAX_AGE_DAYS``
  (the middleware then sends the person to the change page).
- ``PasswordHistoryValidator``: refuses anyone's last ``PASSWORD_HISTORY_COUNT``
  passwords (the hashes are recorded by ``User.save()``).
- ``password_change_audit``: the audit event for a change, written by the views.
- ``MinimumLengthValidator`` and ``LettersAndDigitsValidator``: the composition rules
  (at least 8 characters, letters and digits), with translated messages.

The validators are named in ``AUTH_PASSWORD_VALIDATORS`` (config/settings.py).
"""

import datetime
import re

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gongchuang.common.audit import audit_record

from .models import PasswordHistory


def password_max_age() -> datetime.timedelta | None:
    """The maximum age of a staff password; None when rotation is turned off (0)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    return datetime.timedelta(days=days) if days else None


def password_is_expired(user, *, now: datetime.datetime | None = None) -> bool:
    max_age = password_max_age()
    if max_age is None or not user.holds_staff_role:
        return False
    return user.password_changed_at < (now or timezone.now()) - max_age


def password_change_audit(*, user, actor, how: str) -> None:
    """Record a password change; ``how`` is "self", "reset" or "admin". Never the password."""
    audit_record(actor=actor, action="auth.password_change", obj=user, after={"how": how})


class PasswordHistoryValidator:
    """Refuse any of the person's last PASSWORD_HISTORY_COUNT passwords."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return  # a new account has no history
        count = settings.PASSWORD_HISTORY_COUNT
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[
                :count
            ]
        )
        if user.password and user.password not in hashes:
            hashes.append(user.password)  # an account made in bulk has no history yet
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self._message(count), code="password_reused")

    def get_help_text(self):
        return self._message(settings.PASSWORD_HISTORY_COUNT)

    @staticmethod
    def _message(count: int) -> str:
        return ngettext(
            "Your password must differ from your last password.",
            "Your password must differ from your last %(count)d passwords.",
            count,
        ) % {"count": count}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with a message that is translated.

    Django 5.2 changed the wording of ``MinimumLengthValidator``'s error to a ``%d``
    message that its Chinese catalogue does not have yet, so people saw English;
    this subclass uses our own (translated) message.
    """

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class LettersAndDigitsValidator:
    """Passwords must contain both letters and digits (common 等保 practice)."""

    def validate(self, password, user=None):
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError(
                _("Your password must contain both letters and digits."), code="password_mix"
            )

    def get_help_text(self):
        return _("Your password must contain both letters and digits.")
