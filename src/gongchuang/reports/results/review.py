"""Review progress per group and per expert, and the distribution of expert scores."""

import hashlib
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import npgettext, pgettext

from gongchuang.editions.models import Edition
from gongchuang.judging.enums import ReviewStatus
from gongchuang.judging.models import Assignment, ExpertCount, Jury, JuryCount, Review

from .. import charts
from ..scope import INLINE_ROWS, Filters, Scope, Table, longer_than, work_condition

SCORE_BUCKETS = [(0, 60), (60, 70), (70, 80), (80, 90), (90, 101)]


SCORE_CACHE_SECONDS = 60


def review_tables(
    scope: Scope, edition: Edition, filters: Filters, *, refresh: bool = False, brief: bool = False
) -> list[Table]:
    """Review progress per group (and per expert for the committee), score distribution.

    The progress comes from the rows ``judging.counts`` keeps per jury × unit × category
    and per jury × expert × category, read live; a filter those rows cannot answer (a
    state; a unit, for the per-expert table) counts the assignments of the works it
    selects. The score distribution is up to a minute old (``refresh``: now). ``brief`` (the
    page): the per-expert table only as its size when longer than ``INLINE_ROWS``."""
    juries = {j.pk: str(j) for j in Jury.objects.filter(edition=edition).select_related("category")}
    base = Assignment.objects.filter(
        work_condition(scope, filters, "work__"), jury__edition=edition, forbidden=False
    )
    group_rows = _kept_group_rows(scope, edition, filters)
    if group_rows is None:
        group_rows = [
            (r["jury_id"], r["works"], r["n"], r["done"])
            for r in base.values("jury_id")
            .annotate(n=Count("id"), done=_done_count(), works=Count("work_id", distinct=True))
            .order_by("jury_id")
        ]
    tables = [_review_group_table(group_rows, juries)]
    if scope.is_committee:
        # Experts' names are the committee's business only.
        tables.append(_review_expert_table(base, edition, filters, brief=brief))
    tables.append(_score_table(scope, edition, filters, juries, refresh=refresh))
    return tables


def _kept_group_rows(scope: Scope, edition: Edition, filters: Filters) -> list[tuple] | None:
    """(jury, works, assigned, done) per jury from the kept rows; None for a state filter.
    A unit organizer's scope leaves drafts out: a draft never has assignments."""
    if filters.state:
        return None
    kept = JuryCount.objects.filter(jury__edition=edition)
    if scope.unit_ids is not None:
        kept = kept.filter(unit_id__in=scope.unit_ids)
    if filters.unit_id:
        kept = kept.filter(unit_id=filters.unit_id)
    if filters.category_id:
        kept = kept.filter(category_id=filters.category_id)
    return [
        (r["jury_id"], r["works_n"], r["n"], r["done_n"])
        for r in kept.values("jury_id")
        .annotate(works_n=Sum("works"), n=Sum("assigned"), done_n=Sum("done"))
        .filter(n__gt=0)
        .order_by("jury_id")
    ]


def _many_experts(base: QuerySet, edition: Edition, filters: Filters) -> bool:
    """Whether :func:`_expert_rows` has more than ``INLINE_ROWS`` rows (read no further)."""
    if filters.unit_id or filters.state:
        return longer_than(base.values("expert_id").distinct(), INLINE_ROWS)
    kept = ExpertCount.objects.filter(jury__edition=edition, assigned__gt=0)
    if filters.category_id:
        kept = kept.filter(category_id=filters.category_id)
    return longer_than(kept.values("expert_id").distinct(), INLINE_ROWS)


def _expert_rows(base: QuerySet, edition: Edition, filters: Filters) -> list[dict]:
    """Per expert: name fields, assigned and done; the kept rows unless a unit or a state
    is chosen (the committee's view: every unit)."""
    names = ("expert_id", "expert__real_name", "expert__username")
    if filters.unit_id or filters.state:
        return list(
            base.values(*names)
            .annotate(n=Count("id"), done=_done_count())
            .order_by("expert__real_name", "expert_id")
        )
    kept = ExpertCount.objects.filter(jury__edition=edition)
    if filters.category_id:
        kept = kept.filter(category_id=filters.category_id)
    return [
        {**r, "done": r["done_n"]}
        for r in kept.values(*names)
        .annotate(n=Sum("assigned"), done_n=Sum("done"))
        .filter(n__gt=0)
        .order_by("expert__real_name", "expert_id")
    ]


def _done_count() -> Count:
    return Count("id", filter=Q(review__status=ReviewStatus.SUBMITTED))


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def progress_label(done: int, due: int) -> str:
    """Review progress in words with its units: "已提交 45 / 应提交 65 份（69%）"."""
    return npgettext(
        "report figure",
        "%(done)s of %(due)s review submitted (%(percent)s%%)",
        "%(done)s of %(due)s reviews submitted (%(percent)s%%)",
        due,
    ) % {"done": done, "due": due, "percent": _percent(done, due)}


def _review_headers() -> list[str]:
    return [
        pgettext("report", "Reviews due"),
        pgettext("report", "Reviews submitted"),
        pgettext("report", "Done (%)"),
    ]


def _review_group_table(group_rows: list[tuple], juries: dict[int, str]) -> Table:
    rows = [
        [juries.get(jury_id, ""), works, n, done, _percent(done, n)]
        for jury_id, works, n, done in group_rows
    ]
    return Table(
        "review_groups",
        _("Review progress per group"),
        [pgettext("report", "Group"), pgettext("report", "Works (count)"), *_review_headers()],
        rows,
        charts.bar_chart(
            [r[0] for r in rows],
            [r[4] for r in rows],
            title=_("Review progress per group (%)"),
            color=charts.PALETTE[2],
            value_labels=[progress_label(r[3], r[2]) for r in rows],
        )
        if rows
        else "",
    )


def _review_expert_table(base: QuerySet, edition: Edition, filters: Filters, *, brief: bool):
    elsewhere = brief and _many_experts(base, edition, filters)
    expert_rows = [] if elsewhere else _expert_rows(base, edition, filters)
    rows = [
        [
            r["expert__real_name"] or r["expert__username"],
            r["n"],
            r["done"],
            _percent(r["done"], r["n"]),
        ]
        for r in expert_rows
    ]
    return Table(
        "review_experts",
        _("Review progress per expert"),
        [pgettext("report", "Expert"), *_review_headers()],
        rows,
        rows_elsewhere=elsewhere,
    )


def _score_histogram(scope: Scope, edition: Edition, filters: Filters) -> dict[int, list[int]]:
    """Submitted review totals counted into ``SCORE_BUCKETS``, per jury."""
    histogram: dict[int, list[int]] = defaultdict(lambda: [0] * len(SCORE_BUCKETS))
    for jury_id, total in (
        Review.objects.filter(
            work_condition(scope, filters, "assignment__work__"),
            assignment__jury__edition=edition,
            status=ReviewStatus.SUBMITTED,
            total__isnull=False,
        )
        .values_list("assignment__jury_id", "total")
        .iterator(chunk_size=2000)
    ):
        for i, (low, high) in enumerate(SCORE_BUCKETS):
            if low <= total < high:
                histogram[jury_id][i] += 1
    return histogram


def _score_histogram_cached(
    scope: Scope, edition: Edition, filters: Filters, *, refresh: bool
) -> dict[int, list[int]]:
    """:func:`_score_histogram`, computed at most once a minute per scope and filters (it
    reads every submitted review)."""
    parts = [edition.pk, sorted(scope.unit_ids or []), scope.is_committee,
             sorted(filters.as_dict().items())]  # fmt: skip
    key = "reports:scores:v1:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    histogram = None if refresh else cache.get(key)
    if histogram is None:
        histogram = dict(_score_histogram(scope, edition, filters))
        cache.set(key, histogram, SCORE_CACHE_SECONDS)
    return histogram


def _score_table(
    scope: Scope, edition: Edition, filters: Filters, juries: dict[int, str], *, refresh: bool
) -> Table:
    histogram = _score_histogram_cached(scope, edition, filters, refresh=refresh)
    bucket_labels = [
        pgettext("report", "%(low)s–%(high)s points") % {"low": lo, "high": min(hi, 100)}
        for lo, hi in SCORE_BUCKETS
    ]
    rows = [[juries.get(j, ""), *counts] for j, counts in sorted(histogram.items())]
    overall = [sum(r[i + 1] for r in rows) for i in range(len(SCORE_BUCKETS))]
    return Table(
        "scores",
        _("Score distribution per group"),
        [pgettext("report", "Group"), *bucket_labels],
        rows,
        charts.column_chart(
            bucket_labels,
            overall,
            title=_("Expert scores (all groups)"),
            value_labels=[reviews_label(n) for n in overall],
        )
        if rows
        else "",
        _("Figures are numbers of submitted reviews, by the total score each gave."),
    )


def reviews_label(n: int) -> str:
    """A count of reviews with its unit ("12 份")."""
    return npgettext("report figure", "%(n)s review", "%(n)s reviews", n) % {"n": n}
