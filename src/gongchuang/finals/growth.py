"""The growth report's numbers: a work's score per rubric dimension against its group.

Pure calculations, no Django: ``growth_report`` reads the sheets and reviews and passes
plain numbers in. A work's score on a dimension is the mean of its judges' (or experts')
values; the group's distribution is taken over those means of every work in the group
(the work's category × level), the work itself included.

- quartiles: ``statistics.quantiles(method="inclusive")`` (the 25th, 50th and 75th
  percentiles by linear interpolation between the sorted values, as spreadsheets' QUARTILE);
- percentile rank: the share of the group's works scoring at most this work's score, so the
  best work of a group is at 100 and a group of one work puts it at 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import mean, quantiles


@dataclass(frozen=True)
class Distribution:
    count: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


@dataclass(frozen=True)
class DimensionRow:
    """One rubric dimension of the report: the work's score, its group, its rank there."""

    name: str
    weight: int
    score: float | None
    group: Distribution | None
    percentile: int | None


def distribution(values: Iterable[float]) -> Distribution | None:
    data = sorted(float(v) for v in values)
    if not data:
        return None
    if len(data) == 1:
        q1 = median = q3 = data[0]
    else:
        q1, median, q3 = quantiles(data, n=4, method="inclusive")
    return Distribution(
        count=len(data),
        minimum=round(data[0], 2),
        q1=round(q1, 2),
        median=round(median, 2),
        q3=round(q3, 2),
        maximum=round(data[-1], 2),
    )


def percentile_rank(value: float, values: Iterable[float]) -> int | None:
    """Share (0–100) of ``values`` at or below ``value``."""
    data = list(values)
    if not data:
        return None
    return round(100 * sum(1 for v in data if v <= value + 1e-9) / len(data))


def work_means(
    sheets: Iterable[tuple[int, Mapping[str, float]]],
) -> dict[int, dict[str, float]]:
    """Mean value per dimension per work from (work id, {dimension id: value}) sheets;
    a missing or empty value is left out, not counted as zero."""
    collected: dict[int, dict[str, list[float]]] = {}
    for work_id, values in sheets:
        per_work = collected.setdefault(work_id, {})
        for key, value in (values or {}).items():
            if value is None or value == "":
                continue
            per_work.setdefault(str(key), []).append(float(value))
    return {
        work_id: {key: round(mean(vals), 2) for key, vals in dims.items()}
        for work_id, dims in collected.items()
    }


def dimension_rows(
    work_id: int,
    dimensions: Iterable[tuple[str, str, int]],
    means: Mapping[int, Mapping[str, float]],
) -> list[DimensionRow]:
    """One row per (dimension id, name, weight): the work's mean, the group's distribution
    of means (every work in ``means`` is in the group) and the work's percentile rank."""
    rows = []
    for key, name, weight in dimensions:
        group = [dims[key] for dims in means.values() if key in dims]
        score = means.get(work_id, {}).get(key)
        rows.append(
            DimensionRow(
                name=name,
                weight=weight,
                score=score,
                group=distribution(group),
                percentile=None if score is None else percentile_rank(score, group),
            )
        )
    return rows
