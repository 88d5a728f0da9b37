"""Writes about juries: creation, members, settings, solving, publishing, reminders.

A jury's assignment is solved by ``assignment.py`` on the problem ``matching.py``
builds from the database; pairs set by hand are ``services/assignments.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Category, Edition
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.notifications.services import notify_kind

from .. import assignment as solver
from .. import counts
from ..enums import AssignmentSource
from ..matching import jury_problem
from ..models import Assignment, Jury
from .common import ensure_jury_writable, tell_experts_assigned


@transaction.atomic
def jury_create(
    *,
    edition: Edition,
    category: Category,
    level: str = "",
    k: int | None = None,
    min_load: int = 0,
    members: Iterable[User] = (),
    actor,
) -> Jury:
    """A jury for one category (optionally one level); k defaults to the edition's setting."""
    ensure_edition_writable(edition)
    if category.edition_id != edition.pk:
        raise DomainError(_("This category belongs to another edition."), code="category")
    k = k or int(edition.settings.get("reviews_per_work", 3))
    try:
        with transaction.atomic():
            jury = Jury.objects.create(
                edition=edition, category=category, level=level, k=k, min_load=min_load
            )
    except IntegrityError as exc:
        raise DomainError(
            _("A jury for this category and level already exists."), code="jury_exists"
        ) from exc
    members = list(members)
    jury.members.set(members)
    audit_record(
        actor=actor,
        action="jury.create",
        obj=jury,
        after={
            "category": category.code,
            "level": level,
            "k": k,
            "members": [m.pk for m in members],
        },
    )
    return jury


@transaction.atomic
def jury_set_members(*, jury: Jury, members: Iterable[User], actor) -> Jury:
    """Change a jury's experts; experts who already have reviews in it cannot be removed."""
    ensure_jury_writable(jury)
    members = list(members)
    before = sorted(jury.members.values_list("pk", flat=True))
    keep = set(
        Assignment.objects.filter(jury=jury, review__isnull=False).values_list(
            "expert_id", flat=True
        )
    )
    missing = keep - {m.pk for m in members}
    if missing:
        raise DomainError(
            _("Experts who have already reviewed works of this jury cannot be removed."),
            code="member_has_reviews",
        )
    jury.members.set(members)
    removed = set(before) - {m.pk for m in members}
    with counts.tracked(Assignment.objects.filter(jury=jury)):
        Assignment.objects.filter(jury=jury, expert_id__in=removed).delete()
    audit_record(
        actor=actor,
        action="jury.members",
        obj=jury,
        before={"members": before},
        after={"members": sorted(m.pk for m in members)},
    )
    return jury


@transaction.atomic
def jury_set_peer_scores_visible(*, jury: Jury, visible: bool, actor) -> Jury:
    """Show (or hide) other experts' scores to an expert who has submitted a review.

    What exactly is shown is ``peers.peer_scores``. Only a real change is audited.
    """
    ensure_jury_writable(jury)
    jury = Jury.objects.select_for_update().get(pk=jury.pk)
    before = jury.peer_scores_visible
    if before == visible:
        return jury
    jury.peer_scores_visible = visible
    jury.save(update_fields=["peer_scores_visible"])
    audit_record(
        actor=actor,
        action="jury.settings",
        obj=jury,
        before={"peer_scores_visible": before},
        after={"peer_scores_visible": visible},
    )
    return jury


@transaction.atomic
def jury_solve(*, jury: Jury, actor) -> dict:
    """Solve the jury's assignment optimally and store it.

    Pairs that are pinned or already have a review (draft or submitted) are
    kept; every other automatic or manual pair is replaced by the solution.
    Returns the summary also stored in ``jury.solve_summary``.
    """
    ensure_jury_writable(jury)
    jury = Jury.objects.select_for_update().get(pk=jury.pk)
    jp = jury_problem(jury)
    if not jp.expert_ids:
        raise DomainError(_("Add experts to the jury before assigning works."), code="no_experts")
    if not jp.work_ids:
        raise DomainError(_("This jury has no qualified works yet."), code="no_works")
    result = solver.solve(jp.problem)
    kept_ids = {a.pk for a in jp.kept}
    with counts.tracked(Assignment.objects.filter(jury=jury)):
        _replace_solution(jury, jp, result, kept_ids)
    summary = {
        "objective": result.objective_float,
        "optimal": result.optimal,
        "works": len(jp.work_ids),
        "experts": len(jp.expert_ids),
        "pairs": int(result.work_idx.size),
        "kept": len(jp.kept),
        "uncovered": int(result.uncovered_works.size),
        "min_load_met": result.min_load_met,
        "connected": solver.is_connected(
            result.work_idx, result.expert_idx, len(jp.work_ids), len(jp.expert_ids)
        ),
        "build_s": round(result.build_s, 4),
        "solve_s": round(result.solve_s, 4),
    }
    jury.solved_at = timezone.now()
    jury.solve_summary = summary
    jury.save(update_fields=["solved_at", "solve_summary"])
    audit_record(actor=actor, action="jury.solve", obj=jury, after=summary)
    return summary


@transaction.atomic
def jury_publish(*, jury: Jury, actor) -> Jury:
    """Make the jury's assignments visible to its experts and tell them."""
    ensure_jury_writable(jury)
    if not Assignment.objects.filter(jury=jury, forbidden=False).exists():
        raise DomainError(_("Assign works before publishing."), code="nothing_assigned")
    first = jury.published_at is None
    jury.published_at = timezone.now()
    jury.save(update_fields=["published_at"])
    audit_record(actor=actor, action="jury.publish", obj=jury)
    if first:
        tell_experts_assigned(jury)
    return jury


def experts_remind(*, jury: Jury, actor) -> int:
    """Remind the experts of a published jury who still have unsubmitted reviews."""
    ensure_jury_writable(jury)
    pending: dict[int, int] = {}
    for a in Assignment.objects.filter(jury=jury, forbidden=False).select_related("review"):
        if not (hasattr(a, "review") and a.review.is_submitted):
            pending[a.expert_id] = pending.get(a.expert_id, 0) + 1
    experts = list(User.objects.filter(pk__in=pending))
    window = jury.edition.window(Step.EXPERT_REVIEW)
    deadline = timezone.localtime(window.closes_at).strftime("%Y-%m-%d %H:%M") if window else "—"
    with transaction.atomic():
        for expert in experts:
            notify_kind(
                recipients=[expert],
                kind="judging.reminder",
                context={"jury": str(jury), "count": str(pending[expert.pk]), "deadline": deadline},
                url=reverse("judging:queue"),
            )
        audit_record(actor=actor, action="jury.remind", obj=jury, after={"experts": len(experts)})
    return len(experts)


def _replace_solution(jury: Jury, jp, result, kept_ids: set[int]) -> None:
    """Drop the jury's unkept pairs and store the solver's new ones."""
    Assignment.objects.filter(jury=jury, forbidden=False).exclude(pk__in=kept_ids).delete()
    kept_pairs = {(a.work_id, a.expert_id) for a in jp.kept}
    new = []
    for wi, ei in zip(result.work_idx.tolist(), result.expert_idx.tolist(), strict=True):
        pair = (jp.work_ids[wi], jp.expert_ids[ei])
        if pair in kept_pairs:
            continue
        new.append(
            Assignment(
                jury=jury,
                work_id=pair[0],
                expert_id=pair[1],
                source=AssignmentSource.AUTO,
                affinity=float(jp.affinity[wi, ei]),
            )
        )
    Assignment.objects.bulk_create(new)
