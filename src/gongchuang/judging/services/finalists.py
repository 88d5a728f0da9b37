"""Approving a group's finalists: the works move on (or not) and the list is kept."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work

from ..enums import SelectionRule
from ..models import FinalistEntry, FinalistList, Jury
from ..selectors import FinalistPreview, finalist_preview
from .common import ensure_jury_writable


@transaction.atomic
def finalists_approve(
    *, jury: Jury, level: str, rule: str, value: float, actor: User
) -> FinalistList:
    """Approve the finalists of one group (the jury's category × ``level``).

    Works whose reviews are complete move qualified → reviewed, then the
    selected ones (including every work tied with the last one) → finalist and
    the others → not_selected, through ``transition_work`` (authors are
    notified). Refused while a work of the group still lacks reviews.
    """
    ensure_jury_writable(jury)
    if FinalistList.objects.filter(
        edition_id=jury.edition_id, category_id=jury.category_id, level=level
    ).exists():
        raise _already_approved()
    preview = finalist_preview(jury=jury, level=level, rule=rule, value=value)
    if preview.incomplete:
        raise DomainError(
            _("%(n)s works of this group still lack submitted reviews.")
            % {"n": len(preview.incomplete)},
            code="incomplete",
        )
    if not preview.rows:
        raise DomainError(_("There are no reviewed works in this group."), code="empty")
    try:
        with transaction.atomic():
            finalist_list = FinalistList.objects.create(
                edition=jury.edition,
                category=jury.category,
                level=level,
                rule=rule,
                value=value,
                approved_at=timezone.now(),
                approved_by=actor,
            )
    except IntegrityError as exc:
        raise _already_approved() from exc
    _decide_works(finalist_list, preview, actor=actor)
    audit_record(
        actor=actor,
        action="finalists.approve",
        obj=finalist_list,
        after={
            "rule": rule,
            "value": value,
            "selected": [r.work_id for r in preview.rows if r.selected],
            "method": preview.method,
        },
    )
    return finalist_list


def _decide_works(finalist_list: FinalistList, preview: FinalistPreview, *, actor: User) -> None:
    """Move each previewed work to finalist (with its list entry) or not selected."""
    works = {
        w.pk: w
        for w in Work.objects.select_for_update().filter(pk__in=[r.work_id for r in preview.rows])
    }
    reason = _("Finalist selection: %(rule)s %(value)s") % {
        "rule": SelectionRule(finalist_list.rule).label,
        "value": f"{finalist_list.value:g}",
    }
    for row in preview.rows:
        work = works[row.work_id]
        if work.state == WorkState.QUALIFIED:
            work = transition_work(
                work, WorkState.REVIEWED, actor=actor, reason=_("Expert review complete")
            )
        if row.selected:
            transition_work(work, WorkState.FINALIST, actor=actor, reason=reason)
            FinalistEntry.objects.create(
                finalist_list=finalist_list, work=work, rank=row.rank, score=row.calibrated
            )
        else:
            transition_work(work, WorkState.NOT_SELECTED, actor=actor, reason=reason)


def _already_approved() -> DomainError:
    return DomainError(_("The finalists of this group have already been approved."), code="already")
