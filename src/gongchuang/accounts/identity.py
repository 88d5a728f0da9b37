"""Identity documents and the keyed identity of a student.

A student registers with an identity document (type + number). The number is never
stored in clear: we keep keyed hashes (HMAC-SHA256 with ``IDENTITY_HASH_KEY``) and the
last 4 characters for display. Two keys per student hold the one-work slot of an
edition (submissions.Authorship):

- the *document key*: the document type + its normalised number
  (:func:`document_key`); for a 居民身份证 it is the same hash as before documents
  of other types existed (``"id:" + number``), so keys of existing students stay;
- the *person key*: the normalised name + the birth date (:func:`person_key`); the
  school is not part of it, so changing school does not make a new person.

Names are normalised (:func:`normalise_name`) so that invisible differences (a
zero-width space, a full-width letter, a space) do not make a new person either.
"""

import datetime
import hashlib
import hmac
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import DocumentType

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


def _strip_invisible(text: str) -> str:
    """NFKC, then drop every whitespace and every Unicode format character (Cf)."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def normalise_name(name: str) -> str:
    """The form of a name used for keying: 张\u200b三 matches 张三, ＺＨＡＮＧ San zhangsan.

    NFKC, every whitespace and every format character (U+200B, U+FEFF, …) removed, and
    case-folded (Latin names are written in either case).
    """
    return _strip_invisible(name).casefold()


def normalise_document_number(value: str) -> str:
    """NFKC, upper case, without whitespace, format characters or hyphens."""
    return _strip_invisible(value).upper().replace("-", "")


def normalise_national_id(value: str) -> str:
    return normalise_document_number(value)


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


# Document types whose number embeds the birth date the GB 11643 way.
BIRTH_DATE_DOCUMENTS = frozenset({DocumentType.RESIDENT_ID, DocumentType.HMT_RESIDENCE})

_FORMATS = {
    DocumentType.HK_MACAO_PERMIT: (
        re.compile(r"^[HM]\d{8}(\d{2})?$"),
        _("A Hong Kong and Macao travel permit number is H or M followed by 8 or 10 digits."),
    ),
    DocumentType.TAIWAN_PERMIT: (
        re.compile(r"^\d{8}(\d{2})?$"),
        _("A Taiwan travel permit number has 8 or 10 digits."),
    ),
    DocumentType.FOREIGNER_PR: (
        re.compile(r"^([A-Z]{3}\d{12}|9\d{16}[\dX])$"),
        _(
            "A foreign permanent resident ID number has 15 characters (3 letters and 12 "
            "digits) or, since 2023, 18 characters starting with 9."
        ),
    ),
    DocumentType.PASSPORT: (
        re.compile(r"^[A-Z0-9]{5,20}$"),
        _("A passport number has 5 to 20 letters or digits."),
    ),
}


def validate_document(document_type: str, value: str) -> str:
    """Return the normalised number of a document of ``document_type``, or raise ValidationError.

    Every number is first normalised (NFKC, upper case, no spaces or hyphens). Then:

    - 居民身份证: GB 11643 (17 digits + check digit or X, real birth date);
    - 港澳台居民居住证: the same, and it starts with 81 (Hong Kong), 82 (Macao) or 83 (Taiwan);
    - 港澳居民来往内地通行证: H (Hong Kong) or M (Macao) + 8 digits, or + 10 digits (the
      older booklet numbers are accepted too);
    - 台湾居民来往大陆通行证: 8 digits (the card since 2015), or 10 (older permits);
    - 外国人永久居留身份证: the 2004/2017 format, 3 letters (nationality) + 12 digits, or
      the 2023 format, 18 characters starting with 9 with the GB 11643 check digit;
    - 护照: 5 to 20 letters or digits (formats differ by country, so only the shape).
    """
    if document_type in BIRTH_DATE_DOCUMENTS:
        number = validate_national_id(value)
        if document_type == DocumentType.HMT_RESIDENCE and number[:2] not in ("81", "82", "83"):
            raise ValidationError(
                _(
                    "A residence permit number for Hong Kong, Macao and Taiwan residents "
                    "starts with 81, 82 or 83."
                ),
                code="document_format",
            )
        return number
    if document_type not in _FORMATS:
        raise ValidationError(_("Choose the type of the identity document."), code="document_type")
    number = normalise_document_number(value)
    pattern, message = _FORMATS[document_type]
    if not pattern.match(number):
        raise ValidationError(message, code="document_format")
    if len(number) == 18 and national_id_check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("This document number is not valid (its check digit does not match)."),
            code="document_checksum",
        )
    return number


def _hmac(text: str) -> str:
    key = settings.IDENTITY_HASH_KEY.encode()
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def national_id_hash(number: str) -> str:
    return _hmac("id:" + normalise_national_id(number))


def document_key(document_type: str, number: str) -> str:
    """Keyed hash of a document; a 居民身份证 keeps its earlier key (``national_id_hash``)."""
    if document_type == DocumentType.RESIDENT_ID:
        return national_id_hash(number)
    return _hmac(f"doc:{document_type}:{normalise_document_number(number)}")


def person_key(*, real_name: str, birth_date: datetime.date) -> str:
    """Keyed hash of the normalised name + birth date (not the school)."""
    return _hmac(f"person:{normalise_name(real_name)}|{birth_date.isoformat()}")


def fallback_identity_hash(*, real_name: str, birth_date: datetime.date, school_id: int) -> str:
    """The key of students registered without a document before documents were required."""
    name = re.sub(r"\s+", "", real_name or "")
    return _hmac(f"nsb:{name}|{birth_date.isoformat()}|{school_id}")


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def sample_national_id(*, birth_date: datetime.date, serial: int, region: str = "110105") -> str:
    """A valid GB 11643 number for demo and test data (``serial`` 0–999 picks the sequence)."""
    first17 = f"{region}{birth_date:%Y%m%d}{serial % 1000:03d}"
    return first17 + national_id_check_digit(first17)
