"""Reads other phases take from the expert review: the final's online score, authors' comments."""

from __future__ import annotations

from ..enums import ReviewStatus
from ..models import Jury, Review
from .ranking import jury_ranking


def jury_for_work(work) -> Jury | None:
    """The jury judging ``work``: its category and level, else the category's all-levels jury."""
    juries = Jury.objects.filter(
        edition_id=work.edition_id, category_id=work.category_id, level__in=[work.level, ""]
    )
    return min(juries, key=lambda j: j.level == "", default=None)


def final_online_scores(works) -> dict[int, float]:
    """Calibrated online-review score (0–100) per work, for the final's combined score.

    Used by ``finals.scoring.online_scores``; works without submitted reviews are left out.
    """
    wanted = {w.pk for w in works}
    scores: dict[int, float] = {}
    seen: set[int] = set()
    groups: dict[tuple, Jury | None] = {}
    for work in works:
        key = (work.edition_id, work.category_id, work.level)
        if key not in groups:
            groups[key] = jury_for_work(work)
        jury = groups[key]
        if jury is None or jury.pk in seen:
            continue
        seen.add(jury.pk)
        for rows in jury_ranking(jury, n_boot=0).groups.values():
            for row in rows:
                if row.work_id in wanted and row.has_score:
                    scores[row.work_id] = round(min(max(row.calibrated, 0.0), 100.0), 2)
    return scores


def comments_to_authors(work_ids: list[int]) -> dict[int, list[str]]:
    """Experts' submitted comments to the authors, without the experts' names (one query)."""
    out: dict[int, list[str]] = {}
    for work_id, text in (
        Review.objects.filter(
            assignment__work_id__in=work_ids,
            assignment__forbidden=False,
            status=ReviewStatus.SUBMITTED,
        )
        .exclude(comment_to_authors="")
        .order_by("pk")
        .values_list("assignment__work_id", "comment_to_authors")
    ):
        out.setdefault(work_id, []).append(text)
    return out
