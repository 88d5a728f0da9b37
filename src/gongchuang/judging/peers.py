"""What an expert may see of the other experts' reviews of a work (``Jury.peer_scores_visible``).

Off by default: an expert sees only their own review. When the committee turns it on for a
jury, an expert who has *submitted* their review of a work sees the other experts' submitted
scores of that work, labelled "other expert 1, 2, …" and their mean; before submitting,
nothing (so the others' scores cannot anchor theirs). Only scores and totals are read from
the database here: no name, account or comment of another expert reaches the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .enums import ReviewStatus
from .models import Assignment, Review


@dataclass
class PeerRow:
    label: str
    scores: list[int | None]  # in rubric order
    total: float | None


@dataclass
class PeerScores:
    rows: list[PeerRow]
    mean_scores: list[float | None]
    mean_total: float | None


def peer_scores(assignment: Assignment, rubric, own: Review | None) -> PeerScores | None:
    """The other experts' submitted scores of the assignment's work, anonymous; else None.

    None unless the assignment's jury shows peers' scores and ``own`` (the expert's review
    of the work) is submitted. Peers are the jury's other non-forbidden assignments of the
    same work with a submitted review, in order of submission (one query).
    """
    if not assignment.jury.peer_scores_visible or own is None or not own.is_submitted:
        return None
    found = (
        Review.objects.filter(
            assignment__jury_id=assignment.jury_id,
            assignment__work_id=assignment.work_id,
            assignment__forbidden=False,
            status=ReviewStatus.SUBMITTED,
        )
        .exclude(assignment_id=assignment.pk)
        .order_by("submitted_at", "pk")
        .values_list("scores", "total")
    )
    keys = [str(d.pk) for d in rubric]
    rows = [
        PeerRow(
            label=_("Other expert %(n)s") % {"n": n},
            scores=[scores.get(key) for key in keys],
            total=total,
        )
        for n, (scores, total) in enumerate(found, start=1)
    ]
    return PeerScores(
        rows=rows,
        mean_scores=[_mean([row.scores[i] for row in rows]) for i in range(len(keys))],
        mean_total=_mean([row.total for row in rows]),
    )


def _mean(values) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 2) if present else None
