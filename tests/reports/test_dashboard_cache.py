"""The dashboard's counts are live; each person's scope and filters get their own figures."""

import pytest
from django.urls import reverse

from gongchuang.submissions.models import Work

from .seed import seed_works

pytestmark = pytest.mark.django_db


def _data(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    return response


def test_counts_are_live_and_only_the_score_distribution_waits_a_minute(
    client, edition, roles
):
    seed_works(edition, roles["committee"])
    first = _data(client, roles["committee"])
    assert first.context["data"].totals["works"] == 18
    Work.objects.filter(edition=edition).first().delete()
    again = _data(client, roles["committee"])
    assert again.context["data"].totals["works"] == 17  # live: no minute-old figures
    page = again.content.decode()
    assert "统计时间" in page and "实时" in page and "评分分布每分钟更新" in page
    fresh = _data(client, roles["committee"], refresh="1")
    assert fresh.context["data"].totals["works"] == 17
    assert "refresh=1" not in fresh.context["query_string"]


def test_an_organizer_never_gets_the_committee_s_figures(client, edition, roles):
    seed_works(edition, roles["committee"])
    committee = _data(client, roles["committee"]).context["data"]
    organizer = _data(client, roles["organizer"]).context["data"]
    assert committee.totals["works"] == 18
    assert organizer.totals["works"] < committee.totals["works"]
    assert {row[0] for row in organizer.table("units").rows} == {"海淀区"}


def test_filters_and_language_have_their_own_figures(client, edition, roles):
    seed_works(edition, roles["committee"])
    all_units = _data(client, roles["committee"]).context["data"]
    one_state = _data(client, roles["committee"], state="draft").context["data"]
    assert one_state.totals["works"] < all_units.totals["works"]
    client.cookies["django_language"] = "en"
    english = _data(client, roles["committee"]).context["data"]
    assert english.table("units").title == "Works by unit and category"
    assert all_units.table("units").title != english.table("units").title
