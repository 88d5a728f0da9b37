"""National ID numbers (GB 11643-1999) and the keyed identity of a student.

A student's national ID is never stored in clear: we keep an HMAC-SHA256 of the
normalised number (so the one-work-per-student rule holds across accounts) and
its last 4 characters for display. Without an ID number, the identity is the
HMAC of name + birth date + school.
"""

import datetime
import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


def normalise_national_id(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def national_id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def validate_national_id(value: str) -> str:
    """Return the normalised 18-character number, or raise ValidationError (Chinese via gettext)."""
    number = normalise_national_id(value)
    if not _PATTERN.match(number):
        raise ValidationError(
            _("A national ID number has 18 characters: 17 digits and a final digit or X."),
            code="id_format",
        )
    if national_id_check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("This national ID number is not valid (its check digit does not match)."),
            code="id_checksum",
        )
    if birth_date_from_national_id(number) is None:
        raise ValidationError(
            _("The birth date inside this national ID number is not a real date."),
            code="id_birth_date",
        )
    return number


def birth_date_from_national_id(number: str) -> datetime.date | None:
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def _hmac(text: str) -> str:
    key = settings.IDENTITY_HASH_KEY.encode()
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def national_id_hash(number: str) -> str:
    return _hmac("id:" + normalise_national_id(number))


def fallback_identity_hash(*, real_name: str, birth_date: datetime.date, school_id: int) -> str:
    name = re.sub(r"\s+", "", real_name or "")
    return _hmac(f"nsb:{name}|{birth_date.isoformat()}|{school_id}")


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
