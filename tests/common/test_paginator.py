"""The bounded paginator: exact page numbers for short lists, a capped count for long ones."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongchuang.common.paginator import BoundedPaginator
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from ..perf.test_query_counts import bulk_works

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(edition, units):
    bulk_works(
        edition, 120, state=WorkState.SUBMITTED, unit=units["hd"], school=units["hd_school"]
    )
    return Work.objects.filter(edition=edition).order_by("code", "pk")


def test_short_list_counts_exactly(works):
    page = BoundedPaginator(works, 25, bound=200).get_page("2")
    assert (page.paginator.count, page.paginator.num_pages, page.paginator.more_than) == (
        120,
        5,
        None,
    )
    assert [w.code for w in page] == [w.code for w in works[25:50]]
    assert page.has_next() is True


def test_long_list_counts_only_to_the_bound(works):
    with CaptureQueriesContext(connection) as queries:
        page = BoundedPaginator(works, 25, bound=50).get_page("1")
        rows = list(page)
    assert (page.paginator.rows_more_than, page.paginator.more_than) == (50, 2)
    assert (len(rows), page.has_next(), page.has_previous()) == (25, True, False)
    count_sql = queries.captured_queries[0]["sql"]
    assert "LIMIT 51" in count_sql and "ORDER BY" not in count_sql
    assert len(queries.captured_queries) == 2


def test_deep_page_counts_as_far_as_the_page(works):
    paginator = BoundedPaginator(works, 25, bound=50)
    page = paginator.get_page("4")
    assert [w.code for w in page] == [w.code for w in works[75:100]]
    assert (paginator.rows_more_than, page.has_next()) == (100, True)


def test_last_page_of_a_long_list_has_no_next(works):
    page = BoundedPaginator(works, 25, bound=50).get_page("5")
    assert (len(page), page.has_next(), page.paginator.more_than) == (20, False, None)


def test_page_past_the_end_shows_the_last_page(works):
    page = BoundedPaginator(works, 25, bound=50).get_page("99")
    assert (page.number, len(page), page.has_next()) == (5, 20, False)


def test_bad_page_number_shows_the_first_page(works):
    assert BoundedPaginator(works, 25, bound=50).get_page("abc").number == 1
    assert BoundedPaginator(works, 25, bound=50).get_page("0").number == 1
