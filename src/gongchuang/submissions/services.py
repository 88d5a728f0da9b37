"""Writes on works. ``transition_work`` is the only code that changes a work's state."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.errors import DomainError
from gongchuang.common.state import apply_transition

from .enums import WORK_TRANSITIONS, AuthorRole, WorkState
from .models import Authorship, Work, WorkCodeCounter


def transition_work(work: Work, to: str, *, actor, reason: str = "") -> Work:
    """Move ``work`` to state ``to``: checks the table, records who/when/from/to/why.

    Side effects in the same transaction: a work code on first submission; the
    one-work-per-student slot claimed on submission (DomainError if the student
    already has a work in this edition) and released on withdrawal. After commit,
    the people concerned are notified (``work_state_changed`` signal).
    Permission checks are the caller's (each workflow has its own rules).
    """
    extra = {"state_reason": reason, "state_changed_at": timezone.now()}
    try:
        with transaction.atomic():
            if to == WorkState.SUBMITTED and not work.submitted_at:
                extra["submitted_at"] = timezone.now()
            if to == WorkState.SUBMITTED and not work.code:
                extra["code"] = _next_work_code(work)
            updated = apply_transition(
                work,
                table=WORK_TRANSITIONS,
                target=to,
                actor=actor,
                reason=reason,
                action="work.transition",
                extra_updates=extra,
            )
            _update_slots(updated)
    except IntegrityError as exc:
        if "one_work_per_student" in str(
            exc
        ) or "UNIQUE constraint failed: submissions_authorship" in str(exc):
            raise DomainError(
                _(
                    "Each student may submit only one work per edition, in all categories together. "
                    "A work of yours (or of a team member) has already been submitted."
                ),
                code="one_work_per_student",
            ) from exc
        raise
    from .signals import work_state_changed

    transaction.on_commit(
        lambda: work_state_changed.send(sender=Work, work=updated, actor=actor, reason=reason)
    )
    return updated


def _update_slots(work: Work) -> None:
    holds = work.state not in (WorkState.DRAFT, WorkState.WITHDRAWN)
    students = Authorship.objects.filter(work=work, role=AuthorRole.AUTHOR).exclude(identity_key="")
    students.exclude(holds_slot=holds).update(holds_slot=holds)


def _next_work_code(work: Work) -> str:
    counter, _created = WorkCodeCounter.objects.select_for_update().get_or_create(
        edition_id=work.edition_id, category_id=work.category_id, unit_id=work.unit_id
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{work.edition.code}-{work.category.short_code}-{work.unit.code}-{counter.last:04d}"
