"""Pure arithmetic of the expert review: review totals, ranks with ties, the finalist cut line.

No database access here: selectors and services feed these functions rows they
have already read, and ``verify.py`` recomputes published results with the same
functions, so a change to a rule is made once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongchuang.common.errors import DomainError

from .enums import SelectionRule

# Calibrated scores are compared at this many decimals, so float noise never splits a tie.
TIE_DECIMALS = 6


def weighted_total(rubric, scores: dict[str, int]) -> float | None:
    """0–100: scores 1–10 weighted by the dimensions' weights; None until all are scored."""
    if not rubric or any(str(d.pk) not in scores for d in rubric):
        return None
    weight = sum(d.weight for d in rubric) or 1
    return round(sum(scores[str(d.pk)] * d.weight for d in rubric) * 10 / weight, 2)


def selection_count(rule: str, value: float, n: int) -> int:
    """How many works a rule selects out of ``n`` (shares round up: 30 % of 7 → 3)."""
    if rule == SelectionRule.SHARE:
        if not 0 < value <= 100:
            raise DomainError(_("The share must be between 0 and 100 %."), code="bad_share")
        return min(n, math.ceil(n * value / 100 - 1e-9))
    if value < 0 or value != int(value):
        raise DomainError(
            _("The number of finalists must be a whole number ≥ 0."), code="bad_count"
        )
    return min(n, int(value))


@dataclass
class RankRow:
    work: object
    work_id: int
    level: str
    n_assigned: int
    n_submitted: int
    raw_mean: float
    calibrated: float
    band_low: float
    band_high: float
    spread: float
    disagreement: bool
    rank: int = 0  # within the group (level); 0 = no reviews yet
    selected: bool = False
    tied: bool = False
    grey: bool = False  # the uncertainty band crosses the cut line

    @property
    def complete(self) -> bool:
        return self.n_submitted > 0 and self.n_submitted >= self.n_assigned

    @property
    def has_score(self) -> bool:
        return not math.isnan(self.calibrated)

    @property
    def tie_key(self) -> float:
        return round(self.calibrated, TIE_DECIMALS)


def rank_group(rows: list[RankRow]) -> None:
    """Sort one group best first (unscored last) and give competition ranks (1, 2, 2, 4)."""
    rows.sort(key=lambda r: (not r.has_score, -r.calibrated if r.has_score else 0, r.work_id))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        if not row.has_score:
            continue
        if previous is None or row.tie_key != previous:
            rank = position
        row.rank, previous = rank, row.tie_key


def mark_cut(scored: list[RankRow], n: int) -> tuple[float | None, list[RankRow]]:
    """Select the best ``n`` of ``scored`` (ranked) and every work tied with the last one.

    Marks ``selected``, ``grey`` (band crosses the cut) and ``tied`` on the rows;
    returns the cut score (None when nothing is selected) and the tied rows (empty
    unless more than one work sits on the cut).
    """
    cut = scored[n - 1].tie_key if n else None
    for row in scored:
        row.selected = cut is not None and row.tie_key >= cut
    if cut is None:
        return None, []
    for row in scored:
        row.grey = row.band_low <= cut <= row.band_high and row.tie_key != cut
    ties = [r for r in scored if r.tie_key == cut]
    if len(ties) <= 1:
        return cut, []
    for r in ties:
        r.tied = True
    return cut, ties
