"""Clone to next edition (windows +1 year, no works) and archive (read-only, still viewable)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.editions.models import Edition, RubricDimension
from gongchuang.editions.rules import edition_is_writable, ensure_edition_writable
from gongchuang.editions.services import edition_create_from_defaults
from gongchuang.reports.calculations import shift_one_year
from gongchuang.reports.services import (
    edition_archive,
    edition_clone,
    summary_report_request,
)
from gongchuang.submissions.models import Work

from .seed import seed_works

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def _local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args), TZ)


def test_shift_one_year_keeps_beijing_wall_clock():
    assert shift_one_year(_local(2026, 4, 1, 9, 0)) == _local(2027, 4, 1, 9, 0)
    assert shift_one_year(_local(2026, 12, 31, 23, 59)) == _local(2027, 12, 31, 23, 59)


def test_shift_one_year_turns_29_february_into_28_february():
    assert shift_one_year(_local(2028, 2, 29, 18, 0)) == _local(2029, 2, 28, 18, 0)
    assert shift_one_year(_local(2027, 2, 28, 18, 0)) == _local(2028, 2, 28, 18, 0)


def test_clone_copies_rules_shifts_windows_and_copies_no_works(edition, roles):
    seed_works(edition, roles["committee"], per_unit=2)
    edition.settings = {**edition.settings, "reviews_per_work": 4}
    edition.save()
    art = edition.categories.get(code="ai_art")
    art.unit_quota = 25
    art.save()

    clone = edition_clone(
        source=edition,
        year=2027,
        slug="2027",
        code="2027",
        name="2027北京青少年人工智能应用实践活动",
        actor=roles["committee"],
    )

    old = {w.step: w for w in edition.windows.all()}
    new = {w.step: w for w in clone.windows.all()}
    assert set(new) == set(old)
    for step, window in old.items():
        for attr in ("opens_at", "closes_at"):
            before = timezone.localtime(getattr(window, attr))
            after = timezone.localtime(getattr(new[step], attr))
            assert after.replace(tzinfo=None) == before.replace(tzinfo=None).replace(
                year=before.year + 1
            ) or (before.month, before.day) == (2, 29)
    assert Work.objects.filter(edition=clone).count() == 0
    assert Work.objects.filter(edition=edition).count() == 6
    assert clone.settings["reviews_per_work"] == 4
    assert clone.theme == edition.theme and clone.organisers == edition.organisers
    assert not clone.is_current and clone.archived_at is None
    assert [c.code for c in clone.categories.all()] == [c.code for c in edition.categories.all()]
    assert clone.categories.get(code="ai_art").unit_quota == 25
    assert clone.categories.get(code="ai_art").materials == art.materials
    assert RubricDimension.objects.filter(category__edition=clone).count() == (
        RubricDimension.objects.filter(category__edition=edition).count()
    )
    assert AuditEvent.objects.filter(action="edition.clone", object_id=str(clone.pk)).count() == 1


def test_clone_refuses_a_taken_slug(edition, roles):
    with pytest.raises(DomainError) as err:
        edition_clone(
            source=edition,
            year=2027,
            slug=edition.slug,
            code="2099",
            name="x",
            actor=roles["committee"],
        )
    assert err.value.code == "slug_taken"


def test_clone_page_creates_the_edition(client, edition, roles):
    client.force_login(roles["committee"])
    url = reverse("reports:edition_clone", args=[edition.slug])
    page = client.get(url).content.decode()
    assert "复制为下一届" in page and "不复制任何作品和个人信息" in page
    response = client.post(url, {"year": 2027, "slug": "n2027", "code": "2027", "name": "2027届"})
    assert response.status_code == 302
    assert Edition.objects.get(slug="n2027").year == 2027


def test_clone_page_shows_errors_in_chinese(client, edition, roles):
    client.force_login(roles["committee"])
    url = reverse("reports:edition_clone", args=[edition.slug])
    response = client.post(url, {"year": 2027, "slug": edition.slug, "code": "2027", "name": "x"})
    assert "已有使用该标识的届次" in response.content.decode()


def test_clone_and_archive_pages_are_committee_only(client, edition, roles):
    client.force_login(roles["organizer"])
    assert client.get(reverse("reports:edition_clone", args=[edition.slug])).status_code == 403
    assert client.post(reverse("reports:edition_archive", args=[edition.slug])).status_code == 403
    assert client.get(reverse("reports:editions")).status_code == 403


def test_archive_makes_a_past_edition_read_only_but_viewable(client, edition, roles):
    past, _ = edition_create_from_defaults(year=2025, slug="2025", code="2025")
    seed_works(past, roles["committee"], per_unit=1, unit_codes=("HD",))
    client.force_login(roles["committee"])
    response = client.post(reverse("reports:edition_archive", args=[past.slug]))
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.archived_at is not None
    assert not edition_is_writable(past) and edition_is_writable(edition)
    with pytest.raises(DomainError):
        ensure_edition_writable(past)
    with pytest.raises(DomainError):
        summary_report_request(edition=past, actor=roles["committee"])
    page = client.get(reverse("reports:dashboard"), {"edition": past.slug})
    assert page.status_code == 200
    assert page.context["data"].totals["works"] == 1
    assert "已归档（只读）" in page.content.decode()
    assert AuditEvent.objects.filter(action="edition.archive").count() == 1


def test_archive_refuses_the_current_edition_and_twice(edition, roles):
    with pytest.raises(DomainError) as err:
        edition_archive(edition=edition, actor=roles["committee"])
    assert err.value.code == "current"
    past, _ = edition_create_from_defaults(year=2025, slug="2025", code="2025")
    edition_archive(edition=past, actor=roles["committee"])
    with pytest.raises(DomainError) as err:
        edition_archive(edition=past, actor=roles["committee"])
    assert err.value.code == "archived"


def test_editions_page_lists_and_offers_actions(client, edition, roles):
    client.force_login(roles["committee"])
    page = client.get(reverse("reports:editions")).content.decode()
    assert edition.name in page and "复制为下一届" in page and "当前届次" in page
