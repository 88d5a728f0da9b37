"""The final's calculations: sheet totals, combined scores, ranks and star levels.

Reads the stored sheets and settings and computes; writes nothing. ``services`` stores
what ``result_rows`` gives, ``verify`` recomputes it to compare.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from statistics import mean

from gongchuang.editions.models import Edition, RubricDimension
from gongchuang.judging import selectors as judging_selectors
from gongchuang.submissions.models import Work

from .enums import SCORE_MAX, ScoreKind
from .models import FinalEvent, Score
from .stars import DEFAULT_SHARES, allocate_star_levels

log = logging.getLogger(__name__)
TWO = Decimal("0.01")
DEFAULT_WEIGHTS = {"presentation": 50, "task": 50, "online": 0}


def dimensions(category_id: int) -> list[RubricDimension]:
    return list(RubricDimension.objects.filter(category_id=category_id).order_by("order", "pk"))


def sheet_total(values: dict, dimensions: list[RubricDimension]) -> tuple[Decimal | None, bool]:
    """(total on 0–100, complete?) of a sheet: Σ weight × value / SCORE_MAX over the dimensions."""
    if not dimensions:
        return None, False
    complete = all(str(d.pk) in values for d in dimensions)
    if not complete:
        return None, False
    total = sum(Decimal(d.weight) * Decimal(values[str(d.pk)]) for d in dimensions) / SCORE_MAX
    return total.quantize(TWO, ROUND_HALF_UP), True


def result_weights(edition: Edition) -> dict[str, Decimal]:
    raw = {**DEFAULT_WEIGHTS, **(edition.settings or {}).get("final_weights", {})}
    return {k: Decimal(str(raw.get(k, 0) or 0)) for k in ("presentation", "task", "online")}


def online_scores(works: list[Work]) -> dict[int, Decimal]:
    """Normalised online review score (0–100) per work; a failure there leaves it out."""
    try:
        scores = judging_selectors.final_online_scores(works)
        return {k: Decimal(str(v)) for k, v in scores.items() if v is not None}
    except Exception:
        log.exception("online scores unavailable")
        return {}


def group_key(work: Work) -> tuple[int, str]:
    """Students: category × level; teaching cases: their category alone (own award list)."""
    return (work.category_id, "" if work.category.is_teacher_track else work.level)


def group_label(work: Work) -> str:
    if work.category.is_teacher_track or not work.level:
        return work.category.name
    return f"{work.category.name} · {work.get_level_display()}"


def combined_score(parts: dict[str, Decimal | None], weights: dict[str, Decimal]) -> Decimal | None:
    """w1·presentation + w2·task (+ w3·online), divided by the weights' sum (0–100 scale).

    A part whose weight is 0 is ignored. A missing presentation or task score gives no
    combined score (the results screen shows the work as incomplete); a missing online
    score when w3 > 0 drops w3 for that computation (the online score is optional).
    """
    used = {k: w for k, w in weights.items() if w > 0}
    for key in ("presentation", "task"):
        if key in used and parts.get(key) is None:
            return None
    if "online" in used and parts.get("online") is None:
        used.pop("online")
    if not used:
        return None
    total = sum(used[k] * parts[k] for k in used) / sum(used.values())
    return Decimal(total).quantize(TWO, ROUND_HALF_UP)


def result_rows(event: FinalEvent, works: list[Work]) -> dict[int, dict]:
    """Each work's final result fields (parts, combined score, spread, group, rank, star
    level) from the event's complete sheets and the edition settings: what ``results_compute``
    stores and ``verify_results`` recomputes."""
    edition = event.edition
    sheets: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    for work_id, kind, total in Score.objects.filter(
        session__event=event, is_complete=True
    ).values_list("work_id", "kind", "total"):
        sheets[(work_id, kind)].append(total)
    weights = result_weights(edition)
    online = online_scores(works) if weights["online"] > 0 else {}
    shares = {**DEFAULT_SHARES, **(edition.settings or {}).get("star_shares", {})}
    rows: dict[int, dict] = {}
    groups: dict[tuple, dict[int, Decimal]] = defaultdict(dict)
    for work in works:
        parts: dict[str, Decimal | None] = {}
        for kind in (ScoreKind.PRESENTATION, ScoreKind.TASK):
            values = sheets.get((work.pk, kind), [])
            parts[kind] = Decimal(mean(values)).quantize(TWO, ROUND_HALF_UP) if values else None
        parts["online"] = online.get(work.pk)
        totals = sheets.get((work.pk, ScoreKind.PRESENTATION), []) + sheets.get(
            (work.pk, ScoreKind.TASK), []
        )
        combined = combined_score(parts, weights)
        rows[work.pk] = {
            **parts,
            "combined": combined,
            "spread": (max(totals) - min(totals)) if totals else None,
            "group_label": group_label(work),
            "rank": None,
            "star_level": "",
        }
        if combined is not None:
            groups[group_key(work)][work.pk] = combined
    for members in groups.values():
        for work_id, level in allocate_star_levels(members, shares).items():
            rows[work_id]["star_level"] = level or ""
        ordered = sorted(members.items(), key=lambda kv: kv[1], reverse=True)
        first_rank: dict[Decimal, int] = {}
        for position, (work_id, score) in enumerate(ordered, start=1):
            rows[work_id]["rank"] = first_rank.setdefault(score, position)
    return rows
