"""Pairs by hand: the committee pins, forbids and adds pairs, or asks for one extra expert.

The extra expert is chosen by the same solver as the jury's whole assignment
(``assignment.py``), on a one-work problem built from ``matching.jury_problem``.
"""

from __future__ import annotations

import numpy as np
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.submissions.models import Work

from .. import assignment as solver
from .. import counts
from ..enums import AssignmentSource
from ..matching import JuryProblem, conflicted_experts, jury_problem, jury_works
from ..models import Assignment, Jury, Review
from .common import ensure_jury_writable, tell_experts_assigned


@transaction.atomic
def assignment_pin(*, assignment: Assignment, pinned: bool, actor) -> Assignment:
    ensure_jury_writable(assignment.jury)
    if assignment.forbidden:
        raise DomainError(_("A forbidden pair cannot be pinned."), code="forbidden")
    assignment.pinned = pinned
    assignment.save(update_fields=["pinned"])
    audit_record(
        actor=actor,
        action="assignment.pin" if pinned else "assignment.unpin",
        obj=assignment,
        edition_id=assignment.jury.edition_id,
    )
    return assignment


@transaction.atomic
def assignment_forbid(*, jury: Jury, work: Work, expert: User, actor) -> Assignment:
    """Never give ``work`` to ``expert`` in this jury (drops the pair unless reviewed)."""
    ensure_jury_writable(jury)
    existing = (
        Assignment.objects.select_for_update().filter(jury=jury, work=work, expert=expert).first()
    )
    if existing is not None and Review.objects.filter(assignment=existing).exists():
        raise DomainError(
            _("This expert has already reviewed the work; the pair cannot be forbidden."),
            code="has_review",
        )
    if existing is None:
        existing = Assignment(jury=jury, work=work, expert=expert)
    existing.forbidden, existing.pinned, existing.affinity = True, False, 0.0
    with counts.tracked(Assignment.objects.filter(jury=jury, work=work)):
        existing.save()
    audit_record(actor=actor, action="assignment.forbid", obj=existing, edition_id=jury.edition_id)
    return existing


@transaction.atomic
def assignment_add(
    *, jury: Jury, work: Work, expert: User, actor, source: str = AssignmentSource.MANUAL
) -> Assignment:
    """Give ``work`` to one more expert by hand (pinned, so re-solving keeps it)."""
    ensure_jury_writable(jury)
    if work.pk not in set(jury_works(jury).values_list("pk", flat=True)):
        raise DomainError(_("This work is not judged by this jury."), code="not_in_jury")
    if not jury.members.filter(pk=expert.pk).exists():
        raise DomainError(_("This expert is not a member of the jury."), code="not_member")
    if expert.pk in conflicted_experts(work, [expert.pk]):
        raise DomainError(
            _("This expert has a conflict of interest with the work."), code="conflict"
        )
    existing = Assignment.objects.filter(jury=jury, work=work, expert=expert).first()
    if existing is not None and existing.forbidden:
        raise DomainError(_("The committee forbade this pair."), code="forbidden")
    if existing is not None:
        raise DomainError(_("This expert already has the work."), code="duplicate")
    try:
        scope = Assignment.objects.filter(jury=jury, work=work)
        with transaction.atomic(), counts.tracked(scope):
            added = Assignment.objects.create(
                jury=jury, work=work, expert=expert, pinned=True, source=source
            )
    except IntegrityError as exc:  # the same pair added at the same moment
        raise DomainError(_("This expert already has the work."), code="duplicate") from exc
    audit_record(
        actor=actor,
        action="assignment.add",
        obj=added,
        after={"source": source},
        edition_id=jury.edition_id,
    )
    return added


@transaction.atomic
def assignment_request_extra(*, jury: Jury, work: Work, actor) -> Assignment:
    """One more expert for ``work``, chosen by the solver.

    The work's current experts are pinned and k is raised by one for this
    work alone; the other experts' spare load (max load minus current load)
    bounds the choice, so the best-matching non-conflicted expert with room
    is added (pinned, source "extra"). The jury row is locked, so two
    requests at once add two different experts.
    """
    jury = (
        Jury.objects.select_for_update(of=("self",))
        .select_related("edition", "category")
        .get(pk=jury.pk)
    )
    ensure_jury_writable(jury)
    jp = jury_problem(jury)
    if work.pk not in jp.work_ids:
        raise DomainError(_("This work is not judged by this jury."), code="not_in_jury")
    wi = jp.work_ids.index(work.pk)
    chosen = _extra_expert_index(jury=jury, work=work, jp=jp, wi=wi)
    expert = User.objects.get(pk=jp.expert_ids[chosen])
    added = assignment_add(
        jury=jury, work=work, expert=expert, actor=actor, source=AssignmentSource.EXTRA
    )
    Assignment.objects.filter(pk=added.pk).update(affinity=float(jp.affinity[wi, chosen]))
    if jury.published_at:
        tell_experts_assigned(jury, only=[expert], count=1)
    return added


def _extra_expert_index(*, jury: Jury, work: Work, jp: JuryProblem, wi: int) -> int:
    """Index (into ``jp.expert_ids``) of the expert the solver adds to work ``wi``.

    Candidates: members not yet on the work, without a conflict, below their
    max load. The work's current experts are pinned, so the solver picks one more.
    """
    current = set(
        Assignment.objects.filter(jury=jury, work=work, forbidden=False).values_list(
            "expert_id", flat=True
        )
    )
    loads = np.zeros(len(jp.expert_ids), np.int64)
    e_index = {e: i for i, e in enumerate(jp.expert_ids)}
    for e in Assignment.objects.filter(jury=jury, forbidden=False).values_list(
        "expert_id", flat=True
    ):
        if e in e_index:
            loads[e_index[e]] += 1
    max_load = np.broadcast_to(np.asarray(jp.problem.max_load), loads.shape)
    row = jp.conflicts.getrow(wi).toarray().ravel() if jp.conflicts.shape[1] else np.zeros(0)
    candidates = [
        i
        for i, e in enumerate(jp.expert_ids)
        if e not in current and not row[i] and loads[i] < max_load[i]
    ]
    if not candidates:
        raise _no_spare_expert()
    pinned = [e_index[e] for e in current if e in e_index]
    problem = solver.AssignmentProblem(
        n_works=1,
        n_experts=len(jp.expert_ids),
        k=len(pinned) + 1,
        work_idx=np.zeros(len(candidates), np.int64),
        expert_idx=np.array(candidates, np.int64),
        affinity=jp.affinity[wi, candidates],
        max_load=np.maximum(max_load - loads, 0) + np.isin(np.arange(len(loads)), pinned),
        pinned_work=np.zeros(len(pinned), np.int64),
        pinned_expert=np.array(pinned, np.int64),
    )
    chosen = [int(e) for e in solver.solve(problem).expert_idx.tolist() if int(e) not in pinned]
    if not chosen:
        raise _no_spare_expert()
    return chosen[0]


def _no_spare_expert() -> DomainError:
    return DomainError(
        _("No further expert without a conflict and with spare capacity is available."),
        code="no_expert",
    )
