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
