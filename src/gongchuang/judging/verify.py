"""Re-deriving the expert review's recorded outputs (part of ``manage.py verify_results``).

Reviews: each submitted review's total is recomputed from its scores and the rubric
(``scoring.weighted_total``), and its scores and total must equal the ones its last
audit event (``review.submit``/``review.edit``) recorded.

Finalist lists: each approved list is recomputed as it was decided. The reviews are
taken as the audit trail recorded them up to the list's approval (so reviews of other
groups submitted later do not move it), the works as they stood then (their last
audited state), calibrated with ``calibration.calibrate`` exactly as ``jury_ranking``
does (ridge, same order, no bootstrap — the bands do not affect the score), ranked per
level with the same tie rule, and cut with the list's rule (``scoring.selection_count``,
every work tied with the last one selected). The recomputed selection, ranks and
calibrated scores are compared with the stored entries, and each work's state with
the decision: selected works are finalists (or went on to the final, or lost the place
through an upheld objection), the others not selected.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from gongchuang.common.verification import Report, audited_as_of
from gongchuang.editions.models import Edition
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from . import calibration
from .enums import ReviewStatus
from .matching import RANKED_STATES
from .models import Assignment, FinalistList, Jury, Review
from .scoring import selection_count, weighted_total
from .selectors import DEFAULT_DISAGREEMENT, RIDGE, rubric_of

REVIEW_ACTIONS = ("review.submit", "review.edit")
SELECTED_STATES = {
    WorkState.FINALIST,
    WorkState.AWARDED,
    WorkState.PARTICIPATED,
    WorkState.NOT_SELECTED,  # objection upheld during publicity
    WorkState.DISQUALIFIED,
}


def work_name(work) -> str:
    return f"work {work.code or work.pk}"


def verify_reviews(edition: Edition, report: Report) -> None:
    reviews = list(
        Review.objects.filter(
            assignment__jury__edition=edition, status=ReviewStatus.SUBMITTED
        ).select_related("assignment__work__category")
    )
    rubrics: dict[int, list] = {}
    audited = audited_as_of(Review, [r.pk for r in reviews], REVIEW_ACTIONS)
    for review in reviews:
        report.checked += 1
        work = review.assignment.work
        if work.category_id not in rubrics:
            rubrics[work.category_id] = rubric_of(work.category)
        name = f"{work_name(work)}, review {review.pk} (expert {review.assignment.expert_id})"
        report.compare(
            f"{name}: total", review.total, weighted_total(rubrics[work.category_id], review.scores)
        )
        event = audited.get(str(review.pk))
        if event is None:
            report.differ(f"{name}: submitted review not in the audit trail")
            continue
        after = event.after or {}
        if after.get("scores") != review.scores:
            report.differ(
                f"{name}: scores recorded {review.scores}, audited {after.get('scores')} "
                f"(audit event {event.pk})"
            )
        report.compare(f"{name}: total (audit event {event.pk})", review.total, after.get("total"))


@dataclass
class Ranked:
    work_id: int
    level: str
    calibrated: float
    rank: int = 0


def ranking_as_of(jury: Jury, at: datetime.datetime) -> dict[str, list[Ranked]]:
    """The jury's calibrated ranking per level as it stood at ``at`` (see module docstring)."""
    candidates = Work.objects.filter(edition_id=jury.edition_id, category_id=jury.category_id)
    if jury.level:
        candidates = candidates.filter(level=jury.level)
    candidates = list(candidates.order_by("level", "pk"))
    states = audited_as_of(Work, [w.pk for w in candidates], ["work.transition"], at)
    works = [w for w in candidates if _state_then(w, states) in RANKED_STATES]
    w_index = {w.pk: i for i, w in enumerate(works)}
    active = list(
        Assignment.objects.filter(
            jury=jury, forbidden=False, work_id__in=w_index, review__isnull=False
        ).select_related("review")
    )
    totals = audited_as_of(Review, [a.review.pk for a in active], REVIEW_ACTIONS, at)
    rows = []
    for a in active:
        after = totals[str(a.review.pk)].after if str(a.review.pk) in totals else None
        if after and after.get("status") == ReviewStatus.SUBMITTED:
            rows.append((w_index[a.work_id], a.expert_id, after["total"]))
    if not rows:
        return {}
    experts = sorted({r[1] for r in rows})
    e_index = {e: i for i, e in enumerate(experts)}
    threshold = float(jury.edition.settings.get("disagreement_threshold", DEFAULT_DISAGREEMENT))
    result = calibration.calibrate(
        [r[0] for r in rows],
        [e_index[r[1]] for r in rows],
        [r[2] for r in rows],
        n_works=len(works),
        n_experts=len(experts),
        method="ridge",
        ridge=RIDGE,
        n_boot=0,
        disagreement_threshold=threshold,
    )
    groups: dict[str, list[Ranked]] = {}
    for i, w in enumerate(works):
        if not math.isnan(result.calibrated[i]):
            groups.setdefault(w.level, []).append(
                Ranked(w.pk, w.level, float(result.calibrated[i]))
            )
    for ranked in groups.values():
        # jury_ranking's rule: best first, ties at 6 decimals share the first position.
        ranked.sort(key=lambda r: (-r.calibrated, r.work_id))
        previous, rank = None, 0
        for position, row in enumerate(ranked, start=1):
            if previous is None or round(row.calibrated, 6) != previous:
                rank = position
            row.rank, previous = rank, round(row.calibrated, 6)
    return groups


def _state_then(work, states) -> str:
    """The work's last audited state up to then (its stored state if none was audited)."""
    event = states.get(str(work.pk))
    return (event.after or {}).get("state", work.state) if event else work.state


def _jury_of(finalist_list: FinalistList) -> Jury | None:
    juries = Jury.objects.filter(
        edition_id=finalist_list.edition_id,
        category_id=finalist_list.category_id,
        level__in=[finalist_list.level, ""],
    ).select_related("edition")
    return min(juries, key=lambda j: j.level == "", default=None)


def verify_finalist_lists(edition: Edition, report: Report) -> None:
    lists = FinalistList.objects.filter(edition=edition).select_related("category")
    for finalist_list in lists:
        jury = _jury_of(finalist_list)
        label = f"finalist list {finalist_list.pk} ({finalist_list})"
        if jury is None:
            report.differ(f"{label}: no jury judged this group")
            continue
        group = ranking_as_of(jury, finalist_list.approved_at).get(finalist_list.level, [])
        n = selection_count(finalist_list.rule, finalist_list.value, len(group))
        cut = round(group[n - 1].calibrated, 6) if n else None
        selected = {
            r.work_id: r for r in group if cut is not None and round(r.calibrated, 6) >= cut
        }
        entries = {e.work_id: e for e in finalist_list.entries.all()}
        works = Work.objects.in_bulk([r.work_id for r in group] + list(entries))
        for row in group:
            report.checked += 1
            work = works[row.work_id]
            name = f"{label}, {work_name(work)}"
            entry = entries.get(row.work_id)
            report.compare(f"{name}: finalist", entry is not None, row.work_id in selected)
            if entry is not None and row.work_id in selected:
                report.compare(f"{name}: rank", entry.rank, row.rank)
                report.compare(f"{name}: calibrated score", entry.score, row.calibrated)
            wanted = SELECTED_STATES if row.work_id in selected else {WorkState.NOT_SELECTED}
            if work.state not in wanted:
                decided = " or ".join(sorted(str(state) for state in wanted))
                report.differ(f"{name}: state recorded {work.state}, decided {decided}")
        for work_id in set(entries) - {r.work_id for r in group}:
            report.checked += 1
            report.differ(
                f"{label}, {work_name(works[work_id])}: finalist recorded, but the work had no "
                "complete review when the list was approved"
            )
