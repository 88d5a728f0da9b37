"""The 获奖名单: one row per finalist or awarded work, ready to be handed on.

Built on ``results.results_list`` (which decides what a scope may see and whether star levels
are published) with what the list needs besides: education level, authors and advisors (minors
masked as ``viewer`` must see them), district and the combined final score.
"""

from collections.abc import Iterator

from gongchuang.accounts.enums import Level
from gongchuang.editions.models import Edition
from gongchuang.finals.enums import StarLevel
from gongchuang.finals.models import FinalResult
from gongchuang.screening.selectors import authors_and_advisors, names, with_people
from gongchuang.submissions.models import Work

from .results import results_list
from .scope import Scope


def award_list_rows(scope: Scope, *, edition: Edition, viewer) -> Iterator[list]:
    """Rows in ``exports.result_headers()`` order."""
    results = results_list(scope, edition=edition)
    ids = [r["work_id"] for r in results]
    works = with_people(Work.objects.filter(pk__in=ids)).in_bulk()
    scores = _scores(ids, edition=edition, published_only=not scope.is_committee)
    stars = _star_labels()
    levels = {k: str(v) for k, v in Level.choices}
    for r in results:
        work = works[r["work_id"]]
        authors, advisors = authors_and_advisors(work)
        yield [
            r["work_code"],
            r["title"],
            r["category_name"],
            levels.get(work.level, ""),
            names(authors, viewer),
            names(advisors, viewer),
            r["school_name"],
            r["unit_name"],
            scores.get(work.pk),
            stars.get(r["star_level"], r["star_level"]),
            "、".join(r["special_awards"]),
        ]


def _scores(ids: list[int], *, edition: Edition, published_only: bool) -> dict:
    results = FinalResult.objects.filter(work_id__in=ids, event__edition=edition)
    if published_only:
        results = results.filter(event__results_published_at__isnull=False)
    return dict(results.values_list("work_id", "combined"))


def _star_labels() -> dict[str, str]:
    return {str(k): str(v) for k, v in StarLevel.choices}
