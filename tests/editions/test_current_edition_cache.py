"""Each process keeps the current edition and its windows a few seconds (every request reads
them); a change made through the models is seen at once, and by other processes in time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongchuang.editions import selectors
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings, edition):
    settings.CURRENT_EDITION_CACHE_SECONDS = 2
    selectors.clear_current_edition_cache()
    return edition


def _submission_closes(edition):
    return edition.window(Step.SUBMISSION).closes_at


def test_second_read_within_the_time_costs_no_query(kept):
    first = selectors.current_edition()
    with CaptureQueriesContext(connection) as queries:
        second = selectors.current_edition()
        closes = _submission_closes(second)
    assert len(queries) == 0
    assert second.pk == kept.pk and closes == _submission_closes(first)
    assert second is not first, "each caller gets its own copy"


def test_a_window_saved_in_this_process_is_seen_at_once(kept):
    selectors.current_edition()
    window = kept.windows.get(step=Step.SUBMISSION)
    window.closes_at += datetime.timedelta(days=3)
    window.save()
    assert _submission_closes(selectors.current_edition()) == window.closes_at


def test_a_change_by_another_process_is_seen_once_the_time_is_up(kept, monkeypatch):
    selectors.current_edition()
    later = kept.windows.get(step=Step.SUBMISSION).closes_at + datetime.timedelta(days=1)
    kept.windows.filter(step=Step.SUBMISSION).update(closes_at=later)  # no signal: "elsewhere"
    assert _submission_closes(selectors.current_edition()) != later
    clock = selectors.time.monotonic() + 2.5
    monkeypatch.setattr(selectors.time, "monotonic", lambda: clock)
    assert _submission_closes(selectors.current_edition()) == later


def test_switching_the_current_edition_is_seen_at_once(kept):
    from gongchuang.editions.services import edition_make_current

    selectors.current_edition()
    other = Edition.objects.create(year=2027, slug="t2027", code="2027", name="2027")
    edition_make_current(edition=other)
    assert selectors.current_edition().pk == other.pk


def test_the_kept_edition_and_its_categories_serve_by_id_without_a_query(kept):
    other = Edition.objects.create(year=2027, slug="t2027", code="2027", name="2027")
    category = kept.categories.order_by("pk").last()
    selectors.current_edition()
    with CaptureQueriesContext(connection) as queries:
        found = selectors.edition_with_windows(kept.pk)
        assert _submission_closes(found) is not None
        assert selectors.kept_category(found, category.pk).code == category.code
        assert selectors.kept_category(found, -1) is None
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        found = selectors.edition_with_windows(other.pk)
        assert found.window(Step.SUBMISSION) is None
    assert len(queries) == 2, "the other edition and its windows, read once"
    assert selectors.kept_category(found, category.pk) is None, "its categories were not read"


def test_a_category_saved_in_this_process_is_seen_at_once(kept):
    category = kept.categories.order_by("pk").first()
    selectors.current_edition()
    category.name = "改名后的类别"
    category.save(update_fields=["name"])
    again = selectors.kept_category(selectors.current_edition(), category.pk)
    assert again.name == "改名后的类别"


def test_nothing_is_kept_when_the_time_is_zero(settings, edition):
    settings.CURRENT_EDITION_CACHE_SECONDS = 0
    selectors.current_edition()
    with CaptureQueriesContext(connection) as queries:
        selectors.current_edition()
    assert len(queries) == 2  # the edition and its windows
