import pytest
from django.urls import reverse

from .seed import seed_works

pytestmark = pytest.mark.django_db


def test_nav_and_panel_for_committee_and_organizer(client, edition, roles):
    seed_works(edition, roles["committee"], per_unit=2)
    client.force_login(roles["organizer"])
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert f'href="{reverse("reports:dashboard")}"' in page
    assert "打开统计报表" in page
    client.force_login(roles["committee"])
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert "打开统计报表" in page and ">6</span>" in page


def test_no_nav_for_students(client, edition, roles):
    client.force_login(roles["student"])
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert f'href="{reverse("reports:dashboard")}"' not in page


def test_committee_pages_have_bounded_queries(
    client, edition, roles, django_assert_max_num_queries
):
    from gongchuang.editions.services import edition_create_from_defaults
    from gongchuang.reports.services import api_token_create

    for year in (2023, 2024, 2025):
        edition_create_from_defaults(year=year, slug=str(year), code=str(year))
    for i in range(5):
        api_token_create(user=roles["organizer"], name=f"令牌{i}", actor=roles["committee"])
    client.force_login(roles["committee"])
    client.get(reverse("reports:editions"))  # warm up the session
    for name in ("reports:editions", "reports:tokens", "reports:summary"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name)).status_code == 200
