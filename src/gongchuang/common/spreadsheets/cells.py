"""Turning what a spreadsheet cell holds into the text, number or date an importer wants.

Excel and WPS store what people type: a phone number typed as a number comes back as the float
13911113333.0, an 18-digit ID number as 1.10108E+17 (its last digits gone), a date as a serial
number or as one of the ways Chinese offices write dates, and full-width digits (１３９…) from a
Chinese input method. ``convert(value, kind)`` recovers what can be recovered without guessing
and raises ``CellError`` (with a Chinese message) where it cannot.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

TEXT, PHONE, ID, DATE, ENUM, INT = "text", "phone", "id", "date", "enum", "int"
KINDS = (TEXT, PHONE, ID, DATE, ENUM, INT)

# Full-width digits and letters (what a Chinese input method types) as ASCII; the full-width
# punctuation that titles, names and reasons carry on purpose (（）：，；！) is left alone.
_FULL_WIDTH = {
    c: c - 0xFEE0
    for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for c in range(start, end + 1)
}
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_INTEGRAL = re.compile(r"^[+-]?\d+\.0*$")
# 2026/3/5, 2026-03-05, 2026.3.5, 2026年3月5日
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Floats keep integers exactly up to 2**53; Excel shows 15 significant digits.
_EXACT_DIGITS = 15


class CellError(ValueError):
    """A value that cannot be read losslessly; ``str()`` is the Chinese message."""


def half_width(text: str) -> str:
    """Full-width digits and letters as their plain forms."""
    return text.translate(_FULL_WIDTH)


def as_text(value: object) -> str:
    """Any cell as stripped text; integral floats lose their ``.0`` (a code typed as number)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    return half_width(str(value)).strip()


def convert(value: object, kind: str, *, digits: int | None = None) -> object:
    """The cell ``value`` read as ``kind``; "" (or None for dates and numbers) when empty.

    ``digits``: the fixed width of an ID-kind code (a 学籍号, a school code) whose leading
    zeros Excel dropped when it was typed as a number: padding them back is lossless.
    """
    if kind == DATE:
        return as_date(value)
    if kind == INT:
        return as_int(value)
    if kind in (PHONE, ID):
        code = as_code(value, phone=kind == PHONE)
        if digits and code.isdigit() and len(code) < digits and not isinstance(value, str):
            code = code.zfill(digits)
        return code
    return as_text(value)


def as_code(value: object, *, phone: bool = False) -> str:
    """Digits that must survive exactly: a number keeps them only up to 15 significant digits."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer() or abs(value) >= 10**_EXACT_DIGITS:
            raise _lost_digits()
        return str(int(value))
    text = unicodedata.normalize("NFKC", as_text(value)).strip()
    if _SCIENTIFIC.match(text):
        raise _lost_digits()
    if _INTEGRAL.match(text):  # "13911113333.0" from a CSV written by a script
        text = text.split(".")[0]
    if phone:
        text = re.sub(r"[\s\-()]", "", text)
        text = re.sub(r"^(\+?86)(?=1\d{10}$)", "", text)
    return text.upper() if not phone else text


def as_int(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    text = unicodedata.normalize("NFKC", as_text(value)).replace(",", "").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(number)


def as_date(value: object) -> datetime.date | None:
    """Dates as Excel serials, 2026/3/5, 2026-03-05, 2026.3.5 or 2026年3月5日."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's 9999-12-31
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise _bad_date(value)
    text = unicodedata.normalize("NFKC", as_text(value)).strip()
    if text.isdigit() and len(text) <= 5:
        return as_date(int(text))
    match = _DATE.match(text)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise _bad_date(text)


def normalise_header(text: object) -> str:
    """A header as compared with the aliases: NFKC, no spaces, no bracketed notes, lower case.

    ``姓 名`` → ``姓名``; ``手机号（必填）`` → ``手机号``; ``E-mail *`` → ``email``.
    """
    text = unicodedata.normalize("NFKC", as_text(text))
    text = re.sub(r"[(\[【〔<《].*?[)\]】〕>》]", "", text)
    text = re.sub(r"必填|选填|可选|required|optional", "", text, flags=re.IGNORECASE)
    return re.sub(r"[\s*:：\-_]", "", text).lower()


def _lost_digits() -> CellError:
    return CellError(
        _(
            "the number is stored as a number and its last digits are lost (for example "
            "1.10108E+17). Please format the column as text in Excel or WPS, type the "
            "numbers again and upload the file."
        )
    )


def _bad_date(value: object) -> CellError:
    return CellError(
        _("“%(value)s” is not a date; write it as 2026-03-05 or 2026年3月5日.") % {"value": value}
    )
