"""Credentials sheets: one-time passwords on paper for people with no e-mail or mobile.

Passwords are never stored in clear, so a sheet cannot be printed twice: making one
(``credentials_issue``) gives each chosen account that has not signed in yet a new
one-time password, which makes any earlier sheet of those accounts useless. The rows
are then written as an .xlsx list (``credentials_sheet_xlsx``) or as A4 slips to cut
(``credentials_slips_pdf``, the platform's embedded CJK font: common/fonts.py).
"""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from gongchuang.common import fonts
from gongchuang.common.site import absolute_url
from gongchuang.common.spreadsheets import OutColumn, xlsx_bytes
from gongchuang.common.spreadsheets.writer import CODE

from ..models import User
from .passwords import give_one_time_password
from .status import not_signed_in

NOTE = "首次登录须修改密码"
TITLE = "北京青少年人工智能应用实践活动 · 共创平台账号"


@dataclass(frozen=True)
class CredentialRow:
    name: str
    school: str
    username: str
    password: str
    login_url: str


def login_url() -> str:
    """The public login address (``SITE_URL``, as on the certificates)."""
    return absolute_url(reverse("accounts:login"))


def school_of(user: User) -> str:
    """The school (or unit) printed on a person's slip: their profile's or membership's."""
    for name in ("student_profile", "teacher_profile"):
        profile = getattr(user, name, None) if _has(user, name) else None
        if profile is not None:
            return profile.school.name
    for membership in user.role_memberships:
        if membership.school_id:
            return membership.school.name
        if membership.unit_id:
            return membership.unit.name
    return ""


def _has(user: User, relation: str) -> bool:
    try:
        getattr(user, relation)
    except User._meta.get_field(relation).related_model.DoesNotExist:
        return False
    return True


@transaction.atomic
def credentials_issue(
    users: Iterable[User], *, by, school_of: Callable[[User], str] = school_of
) -> list[CredentialRow]:
    """Give each of ``users`` that has not signed in yet a new one-time password (audited
    per account) and return the rows of the sheet, in the order given. Earlier sheets of
    these accounts stop working. Accounts that signed in already are left out.

    The caller checks that ``by`` may do this for each account (and asked to confirm).
    """
    url = login_url()
    rows = []
    for user in users:
        if not not_signed_in(user):
            continue
        password = give_one_time_password(user, by=by)
        rows.append(CredentialRow(user.display_name, school_of(user), user.username, password, url))
    return rows


def credentials_sheet_xlsx(rows: Iterable[CredentialRow]) -> bytes:
    """The rows as a spreadsheet (Chinese headers, usernames and passwords as text)."""
    columns = [
        OutColumn("姓名"),
        OutColumn("学校/单位", width=30),
        OutColumn("用户名", kind=CODE),
        OutColumn("一次性密码", kind=CODE),
        OutColumn("登录网址", width=40),
        OutColumn("说明", width=20),
    ]
    data = ([r.name, r.school, r.username, r.password, r.login_url, NOTE] for r in rows)
    return xlsx_bytes(title="账号单", columns=columns, rows=data)


# --- PDF slips ------------------------------------------------------------------------------

COLUMNS, ROWS = 2, 5  # slips per A4 page: 2 × 5
MARGIN = 10 * mm


def credentials_slips_pdf(rows: Iterable[CredentialRow]) -> bytes:
    """A4 pages of slips to cut along the dashed lines, one per account: name, school,
    username, one-time password, login address and the note to change it."""
    buffer = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buffer, pagesize=A4, **fonts.canvas_options())
    slip_w = (width - 2 * MARGIN) / COLUMNS
    slip_h = (height - 2 * MARGIN) / ROWS
    rows = list(rows)
    with translation.override("zh-hans"):
        c.setTitle("账号单")
        for index, row in enumerate(rows):
            place = index % (COLUMNS * ROWS)
            if place == 0 and index:
                c.showPage()
            if place == 0:
                _cut_lines(c, width=width, height=height, slip_w=slip_w, slip_h=slip_h)
            x = MARGIN + (place % COLUMNS) * slip_w
            y = height - MARGIN - (place // COLUMNS + 1) * slip_h
            _slip(c, row, x=x, y=y, w=slip_w, h=slip_h)
    if not rows:
        c.setFont(fonts.font_name(), 12)
        c.drawString(MARGIN, height - MARGIN - 12, "（没有账号）")
    c.showPage()
    c.save()
    return buffer.getvalue()


def _cut_lines(c, *, width, height, slip_w, slip_h) -> None:
    c.saveState()
    c.setDash(4, 3)
    c.setLineWidth(0.4)
    c.setStrokeGray(0.55)
    for i in range(COLUMNS + 1):
        x = MARGIN + i * slip_w
        c.line(x, MARGIN, x, height - MARGIN)
    for j in range(ROWS + 1):
        y = MARGIN + j * slip_h
        c.line(MARGIN, y, width - MARGIN, y)
    c.restoreState()


def _slip(c, row: CredentialRow, *, x, y, w, h) -> None:
    regular, bold = fonts.font_name(fonts.REGULAR), fonts.font_name(fonts.BOLD)
    left, inner = x + 6 * mm, w - 12 * mm
    top = y + h - 9 * mm
    _fit(c, TITLE, regular, 8, left, top, inner)
    lines = [
        ("姓名", row.name, bold, 12),
        ("学校/单位", row.school or "—", regular, 10),
        ("用户名", row.username, bold, 12),
        ("一次性密码", row.password, bold, 14),
        ("登录网址", row.login_url, regular, 9),
    ]
    line_y = top - 7 * mm
    for label, value, font, size in lines:
        c.setFont(regular, 9)
        c.drawString(left, line_y, f"{label}：")
        _fit(c, value, font, size, left + 20 * mm, line_y, inner - 20 * mm)
        line_y -= 7.5 * mm
    _fit(c, f"※ {NOTE}", bold, 10, left, line_y, inner)


def _fit(c, text: str, font: str, size: float, x: float, y: float, room: float) -> None:
    """Draw ``text`` at ``size``, smaller if needed so it stays inside ``room`` points."""
    while size > 6 and stringWidth(text, font, size) > room:
        size -= 0.5
    c.setFont(font, size)
    c.drawString(x, y, text)
