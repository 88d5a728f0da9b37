"""Finalists answer the invitation; the venue desk checks them in by code."""

from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from ..awards import ensure_finalist_listed
from ..enums import Attendance
from ..models import FinalEvent, FinalistAttendance
from .base import ensure_writable, require_on_work


def attendance_answer(*, event: FinalEvent, work: Work, user, attend: bool) -> FinalistAttendance:
    """A finalist's author or advisor confirms attendance, or withdraws the work from the final."""
    ensure_writable(event)
    require_on_work(work, user)
    if work.state != WorkState.FINALIST:
        raise DomainError(_("Only finalist works can answer the invitation."))
    with transaction.atomic():
        row, _created = FinalistAttendance.objects.select_for_update().get_or_create(
            event=event, work=work
        )
        if row.checked_in_at and not attend:
            raise DomainError(_("You have already checked in at the venue."))
        before = row.status
        row.status = Attendance.CONFIRMED if attend else Attendance.WITHDRAWN
        row.answered_at = timezone.now()
        row.answered_by = user
        row.save(update_fields=["status", "answered_at", "answered_by"])
        audit_record(
            actor=user,
            action="final.attendance",
            obj=work,
            before={"attendance": before},
            after={"attendance": row.status},
        )
    return row


def checkin_by_code(*, event: FinalEvent, code: str, actor) -> FinalistAttendance:
    """Check the work of ``code`` in at the venue (audited once; a repeated scan changes
    nothing). ``code`` may also be the whole link of the finalist's QR code. The row
    returned says ``already_checked_in`` when an earlier scan had checked it in."""
    ensure_writable(event)
    code = code_from_scan(code)
    with transaction.atomic():
        row = (
            FinalistAttendance.objects.select_for_update()
            .select_related("work")
            .filter(event=event, checkin_code=code)
            .first()
        )
        if row is None:
            raise DomainError(_("No finalist has this check-in code."), code="not_found")
        if row.status == Attendance.WITHDRAWN:
            raise DomainError(_("This work has withdrawn from the final."))
        ensure_finalist_listed(row.work)
        row.already_checked_in = row.checked_in_at is not None
        if row.checked_in_at is None:
            row.checked_in_at = timezone.now()
            row.checked_in_by = actor
            if row.status == Attendance.PENDING:
                row.status = Attendance.CONFIRMED
            row.save(update_fields=["checked_in_at", "checked_in_by", "status"])
            audit_record(actor=actor, action="final.checkin", obj=row.work)
    return row


def code_from_scan(text: str) -> str:
    """The check-in code in what the desk typed or scanned: the code itself, or the link the
    finalist's QR code holds (``…/final/manage/checkin/?code=XXXX``)."""
    text = (text or "").strip()
    if "?" in text or "/" in text:
        text = (parse_qs(urlsplit(text).query).get("code") or [""])[0]
    return text.strip().upper()
