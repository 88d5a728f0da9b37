"""Reads of the judge practice round: samples, the expert's pending practice, deviations."""

from __future__ import annotations

import dataclasses

from django.http import Http404

from gongchuang.accounts.models import User

from ..models import ExpertProfile, Jury, PracticeScore, PracticeWork
from ..practice import deviations, summarise


def practice_required(edition) -> bool:
    """The edition setting ``practice_required`` (off by default)."""
    return bool((edition.settings or {}).get("practice_required", False))


def expert_category_ids(user: User, edition) -> set[int]:
    """Categories ``user`` judges in ``edition``: their juries' and their profile's."""
    ids = set(Jury.objects.filter(edition=edition, members=user).values_list("category", flat=True))
    profile = ExpertProfile.objects.filter(user=user).first()
    if profile and profile.categories:
        ids |= set(
            edition.categories.filter(code__in=profile.categories).values_list("pk", flat=True)
        )
    return ids


def practice_works(edition):
    return PracticeWork.objects.filter(edition=edition).select_related("category", "work")


def practice_works_for_expert(user: User, edition) -> list[PracticeWork]:
    """The samples of the expert's categories (one query when the edition has none)."""
    samples = list(practice_works(edition))
    if not samples:
        return []
    ids = expert_category_ids(user, edition)
    return [p for p in samples if p.category_id in ids]


def practice_pending(user: User, edition, samples: list[PracticeWork] | None = None):
    """The expert's practice works not scored yet (``samples``: already loaded ones)."""
    if samples is None:
        samples = practice_works_for_expert(user, edition)
    if not samples:
        return []
    done = set(PracticeScore.objects.filter(expert=user).values_list("practice_work", flat=True))
    return [p for p in samples if p.pk not in done]


def practice_blocks_review(user: User, edition) -> bool:
    """Real assignments stay closed while practice is required and some is pending."""
    return practice_required(edition) and bool(practice_pending(user, edition))


def practice_work_for_expert(user: User, edition, pk) -> PracticeWork:
    """A practice work of one of the expert's categories, else 404."""
    for p in practice_works_for_expert(user, edition):
        if p.pk == int(pk):
            return p
    raise Http404


def practice_score_of(user: User, practice_work: PracticeWork) -> PracticeScore | None:
    return PracticeScore.objects.filter(expert=user, practice_work=practice_work).first()


def practice_deviations(practice_work: PracticeWork, score: PracticeScore | None):
    if score is None:
        return []
    return deviations(
        list(practice_work.category.rubric.all()), score.scores, practice_work.reference
    )


@dataclasses.dataclass
class ExpertRow:
    expert: User
    n: int
    dims: list
    total_bias: float | None
    recorded_bias: float | None


@dataclasses.dataclass
class CategoryTable:
    category: object
    rubric: list
    rows: list[ExpertRow]


def deviation_tables(edition) -> list[CategoryTable]:
    """Per category with samples: each expert's MAD and bias per dimension (committee)."""
    tables = []
    scores = (
        PracticeScore.objects.filter(practice_work__edition=edition)
        .select_related("practice_work", "expert", "expert__expert_profile")
        .order_by("expert__real_name", "expert_id")
    )
    by_cat: dict[int, dict[int, list[PracticeScore]]] = {}
    for s in scores:
        by_cat.setdefault(s.practice_work.category_id, {}).setdefault(s.expert_id, []).append(s)
    for category in edition.categories.filter(pk__in=by_cat).order_by("order", "pk"):
        rubric = list(category.rubric.all())
        rows = []
        for items in by_cat[category.pk].values():
            dims, total = summarise(rubric, [(s.scores, s.practice_work.reference) for s in items])
            expert = items[0].expert
            profile = getattr(expert, "expert_profile", None)
            rows.append(
                ExpertRow(expert, len(items), dims, total, profile and profile.practice_bias)
            )
        tables.append(CategoryTable(category, rubric, rows))
    return tables


def expert_total_bias(user: User, edition) -> float | None:
    """Mean signed deviation of the expert's practice totals over all categories."""
    values = [
        (row.total_bias, row.n)
        for t in deviation_tables(edition)
        for row in t.rows
        if row.expert.pk == user.pk and row.total_bias is not None
    ]
    n = sum(k for _, k in values)
    return round(sum(v * k for v, k in values) / n, 2) if n else None
