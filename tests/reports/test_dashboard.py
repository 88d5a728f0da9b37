"""The dashboard's numbers against counts computed independently from the database."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongchuang.accounts.models import Unit
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from .seed import seed_works

pytestmark = pytest.mark.django_db


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reports:dashboard"), params)


def _expected(edition, *, units=None, drafts=True):
    rows = Work.objects.filter(edition=edition).values("unit_id", "category_id", "level", "state")
    return [
        r
        for r in rows
        if (units is None or r["unit_id"] in units) and (drafts or r["state"] != "draft")
    ]


def test_committee_dashboard_counts_equal_independent_counts(client, edition, roles):
    seed_works(edition, roles["committee"])
    response = _get(client, roles["committee"])
    assert response.status_code == 200
    data = response.context["data"]
    expected = _expected(edition)
    assert data.totals["works"] == len(expected) == 18
    assert data.totals["submitted"] == sum(1 for r in expected if r["state"] != "draft")
    by_unit = Counter(r["unit_id"] for r in expected)
    units = data.table("units")
    names = {u.name: u.pk for u in Unit.objects.all()}
    shown = {row[0]: row[-1] for row in units.rows if row[-1]}
    assert shown == {Unit.objects.get(pk=pk).name: n for pk, n in by_unit.items()}
    by_unit_cat = Counter((r["unit_id"], r["category_id"]) for r in expected)
    cats = list(edition.categories.all())
    for row in units.rows:
        for cat, cell in zip(cats, row[1:-1], strict=True):
            assert cell == by_unit_cat[names[row[0]], cat.pk]
    states = {row[0]: row[-1] for row in data.table("states").rows}
    labels = dict(WorkState.choices)
    assert states == {str(labels[s]): n for s, n in Counter(r["state"] for r in expected).items()}
    matrix = data.table("matrix").rows
    assert sum(row[-1] for row in matrix) == len(expected)
    assert len(matrix) == len(
        Counter((r["unit_id"], r["category_id"], r["level"], r["state"]) for r in expected)
    )


def test_unit_dashboard_shows_own_unit_without_drafts(client, edition, roles, units):
    seed_works(edition, roles["committee"])
    response = _get(client, roles["organizer"])
    data = response.context["data"]
    expected = _expected(edition, units={units["hd"].pk}, drafts=False)
    assert data.totals["works"] == len(expected) == 4
    assert [row[0] for row in data.table("units").rows] == [units["hd"].name]
    assert "朝阳区" not in {row[0] for row in data.table("matrix").rows}


def test_organizer_cannot_filter_to_another_unit(client, edition, roles, units):
    seed_works(edition, roles["committee"])
    response = _get(client, roles["organizer"], unit=units["cy"].pk)
    data = response.context["data"]
    # An invalid choice is ignored: still HD only, never CY's works.
    assert {row[0] for row in data.table("matrix").rows} == {units["hd"].name}


def test_filter_by_district_and_category(client, edition, roles, units):
    seed_works(edition, roles["committee"])
    art = edition.categories.get(code="ai_art")
    response = _get(client, roles["committee"], unit=units["cy"].pk, category=art.pk)
    data = response.context["data"]
    assert (
        data.totals["works"]
        == Work.objects.filter(edition=edition, unit=units["cy"], category=art).count()
    )
    assert data.table("units").headers == ["组织单位", art.name, "合计"]


def test_daily_curve_marks_the_deadline(client, edition, roles):
    seed_works(edition, roles["committee"], per_unit=2)
    response = _get(client, roles["committee"])
    daily = response.context["data"].table("daily")
    submitted = Work.objects.filter(edition=edition, submitted_at__isnull=False).count()
    assert daily.rows[-1][2] == submitted
    deadline = edition.window("submission").closes_at
    from django.utils import timezone

    assert f'data-deadline="{timezone.localtime(deadline):%Y-%m-%d}"' in str(daily.chart)
    assert "截止" in response.content.decode()


def test_others_get_403(client, edition, roles):
    for name in ("student", "teacher", "coordinator", "expert"):
        client.force_login(roles[name])
        assert client.get(reverse("reports:dashboard")).status_code == 403


def test_anonymous_is_sent_to_login(client, edition):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_empty_edition_shows_empty_states(client, edition, roles):
    response = _get(client, roles["committee"])
    assert response.context["data"].totals["works"] == 0
    assert "暂无数据" in response.content.decode()


def _queries(client, user) -> list[str]:
    """The queries of one dashboard computed afresh (``refresh``: the figures are otherwise
    reused for a minute, and the cache may be emptied by another test process meanwhile)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("reports:dashboard"), {"refresh": "1"}).status_code == 200
    # Not the shared cache's own (a table of the database on the embedded default): storing
    # the figures is one write of fixed cost, in a savepoint.
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "gongchuang_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]


def test_dashboard_query_count_is_independent_of_size(client, edition, roles):
    client.force_login(roles["committee"])
    seed_works(edition, roles["committee"], per_unit=2)
    _queries(client, roles["committee"])  # warm up: the first request writes the session
    small = _queries(client, roles["committee"])
    seed_works(edition, roles["committee"], per_unit=8, unit_codes=("HD", "CY", "DC", "FT"))
    large = _queries(client, roles["committee"])
    assert len(large) == len(small)
    # 25 for the page, 2 for its menu's counts (city review, objections); the current
    # edition is read twice only because the tests turn off its per-process cache.
    assert len(large) <= 29


def test_table_xlsx_has_the_table_rows(client, edition, roles):
    import io

    from openpyxl import load_workbook

    seed_works(edition, roles["committee"])
    client.force_login(roles["committee"])
    response = client.get(reverse("reports:table_xlsx", args=["units"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "组织单位"
    assert sum(r[-1] for r in rows[1:-1]) == 18
    assert rows[-1][0] == "合计" and rows[-1][-1] == 18  # the closing row of column totals


def test_unknown_table_is_404(client, edition, roles):
    client.force_login(roles["committee"])
    assert client.get(reverse("reports:table_xlsx", args=["nope"])).status_code == 404
