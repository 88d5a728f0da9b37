import datetime

import pytest

from gongchuang.common.models import AuditEvent
from gongchuang.editions.defaults import at
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Category, Edition, PhaseWindow
from gongchuang.editions.services import edition_create_from_defaults
from tests.conftest import PASSWORD


@pytest.mark.django_db
def test_2026_defaults_follow_the_notice_and_domain():
    edition, created = edition_create_from_defaults(year=2026)
    assert created and edition.theme == "与AI共创未来" and edition.code == "2026"
    cats = {c.code: c for c in Category.objects.filter(edition=edition)}
    assert {k: c.max_authors for k, c in cats.items()} == {
        "ai_art": 1, "ai_agent": 3, "ai_scientist": 3, "ai_company": 1, "teaching_case": 2}
    assert {k: c.unit_quota for k, c in cats.items()} == {
        "ai_art": 30, "ai_agent": 30, "ai_scientist": None, "ai_company": None, "teaching_case": None}
    assert [(d.name, d.weight) for d in cats["ai_art"].rubric.all()] == [
        ("创新性", 30), ("AI 技术应用", 25), ("完成度与实用性", 25), ("表达与展示", 10), ("伦理与安全", 10)]
    assert sum(d.weight for d in cats["ai_agent"].rubric.all()) == 100
    submission = edition.windows.get(step=Step.SUBMISSION)
    assert submission.opens_at == at(2026, 4, 3) and submission.phase == 2
    assert edition.windows.get(step=Step.FINAL).opens_at == at(2026, 7, 1)
    assert edition.organisers["hosts"][0] == "北京市科学技术协会"


@pytest.mark.django_db
def test_loading_defaults_twice_changes_nothing():
    edition, _ = edition_create_from_defaults(year=2026)
    Category.objects.filter(edition=edition, code="ai_art").update(unit_quota=25)
    again, created = edition_create_from_defaults(year=2026)
    assert not created and again.pk == edition.pk
    assert Category.objects.get(edition=edition, code="ai_art").unit_quota == 25
    assert Edition.objects.count() == 1 and PhaseWindow.objects.filter(edition=edition).count() == 8


def test_committee_extends_a_deadline_with_reason_and_it_is_audited(client, edition, roles):
    client.post("/accounts/login/", {"username": roles["committee"].username, "password": PASSWORD})
    window = edition.windows.get(step=Step.SUBMISSION)
    new_close = (window.closes_at + datetime.timedelta(days=3)).astimezone(at(2026, 1, 1).tzinfo)
    response = client.post(f"/editions/windows/{window.pk}/", {
        "closes_at": new_close.strftime("%Y-%m-%dT%H:%M"), "reason": "因网络故障延长三天"})
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.closes_at == new_close.replace(second=0, microsecond=0)
    event = AuditEvent.objects.get(action="window.extend")
    assert event.reason == "因网络故障延长三天" and event.actor == roles["committee"]


def test_deadline_change_without_reason_changes_nothing(client, edition, roles):
    client.post("/accounts/login/", {"username": roles["committee"].username, "password": PASSWORD})
    window = edition.windows.get(step=Step.SUBMISSION)
    before = window.closes_at
    body = client.post(f"/editions/windows/{window.pk}/", {"closes_at": "2030-01-01T00:00", "reason": ""}).content.decode()
    assert "这个字段是必填项" in body
    window.refresh_from_db()
    assert window.closes_at == before


@pytest.mark.parametrize("who", ["organizer", "student", "expert"])
def test_only_the_committee_sees_edition_settings(client, edition, roles, who):
    client.post("/accounts/login/", {"username": roles[who].username, "password": PASSWORD})
    assert client.get(f"/editions/{edition.slug}/").status_code == 403
