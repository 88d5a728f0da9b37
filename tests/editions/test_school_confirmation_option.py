"""The school confirmation option (学校确认) on the edition settings pages: on with a window,
audited; off refused while works wait for their school."""

import datetime

import pytest
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Edition, PhaseWindow
from gongchuang.editions.services import edition_school_confirmation_update
from gongchuang.submissions import services as work_services
from gongchuang.submissions.enums import WorkState
from tests.submissions.helpers import complete_art_work

from .test_settings_pages import committee_client

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _values(enabled=True, **over):
    now = timezone.now().replace(second=0, microsecond=0)
    values = {"enabled": enabled, "opens_at": now, "closes_at": now + 7 * DAY, "reason": "试点"}
    return {**values, **over}


def test_turning_on_creates_the_window_and_is_audited(edition, roles):
    values = _values()
    edition_school_confirmation_update(edition=edition, actor=roles["committee"], values=values)
    edition = Edition.objects.get(pk=edition.pk)
    assert edition.school_confirmation is True
    window = PhaseWindow.objects.get(edition=edition, step=Step.SCHOOL_CONFIRMATION)
    assert (window.opens_at, window.closes_at) == (values["opens_at"], values["closes_at"])
    event = AuditEvent.objects.get(action="edition.school_confirmation")
    assert event.before == {"enabled": False, "opens_at": None, "closes_at": None}
    assert event.after == {
        "enabled": True,
        "opens_at": values["opens_at"].isoformat(),
        "closes_at": values["closes_at"].isoformat(),
    }
    assert (event.reason, event.actor_id) == ("试点", roles["committee"].pk)


def test_on_without_window_or_reason_is_refused(edition, roles):
    with pytest.raises(DomainError) as refused:
        edition_school_confirmation_update(
            edition=edition, actor=roles["committee"], values=_values(opens_at=None)
        )
    assert refused.value.code == "window_required"
    with pytest.raises(DomainError) as refused:
        edition_school_confirmation_update(
            edition=edition, actor=roles["committee"], values=_values(reason=" ")
        )
    assert refused.value.message == "请填写此次修改的原因。"
    assert not Edition.objects.get(pk=edition.pk).school_confirmation
    assert not PhaseWindow.objects.filter(step=Step.SCHOOL_CONFIRMATION).exists()


def test_off_is_refused_while_works_wait_then_allowed(edition, roles):
    edition_school_confirmation_update(edition=edition, actor=roles["committee"], values=_values())
    edition.refresh_from_db()
    student = roles["student"]
    work = work_services.work_submit(work=complete_art_work(edition, student), actor=student)
    assert work.state == WorkState.AWAITING_SCHOOL
    off = {"enabled": False, "reason": "取消试点"}
    with pytest.raises(DomainError) as refused:
        edition_school_confirmation_update(edition=edition, actor=roles["committee"], values=off)
    assert refused.value.code == "school_confirmation_in_use"
    assert refused.value.message.startswith("仍有 1 件作品等待学校确认。")
    work_services.work_withdraw(work=work, actor=student)
    edition_school_confirmation_update(edition=edition, actor=roles["committee"], values=off)
    assert not Edition.objects.get(pk=edition.pk).school_confirmation
    # The window stays (its history too); a new submission goes straight to the unit.
    assert PhaseWindow.objects.filter(step=Step.SCHOOL_CONFIRMATION).exists()
    assert AuditEvent.objects.filter(action="edition.school_confirmation").count() == 2


def test_unchanged_values_record_nothing(edition, roles):
    values = _values()
    edition_school_confirmation_update(edition=edition, actor=roles["committee"], values=values)
    edition.refresh_from_db()
    edition_school_confirmation_update(
        edition=edition, actor=roles["committee"], values={**values, "reason": ""}
    )
    assert AuditEvent.objects.filter(action="edition.school_confirmation").count() == 1


def test_settings_page_turns_it_on_and_lists_the_change(client, edition, roles):
    client = committee_client(client, roles)
    url = f"/editions/{edition.slug}/school-confirmation/"
    response = client.post(url, {"enabled": "on", "opens_at": "", "closes_at": "", "reason": "x"})
    assert response.status_code == 200
    assert "开启学校确认时必须填写。" in response.content.decode()
    assert not Edition.objects.get(pk=edition.pk).school_confirmation
    data = {
        "enabled": "on",
        "opens_at": "2026-05-01T08:00",
        "closes_at": "2026-05-25T18:00",
        "reason": "试点学校确认",
    }
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert "学校确认设置已保存，并已记入审计记录。" in page
    assert "学校确认时间：2026-05-01 08:00 至 2026-05-25 18:00（北京时间）。" in page
    assert "学校确认设置已修改：开启 2026-05-01T08:00 → 2026-05-25T18:00（试点学校确认）" in page


def test_settings_page_shows_the_refusal_to_turn_off(client, edition, roles):
    edition_school_confirmation_update(edition=edition, actor=roles["committee"], values=_values())
    edition.refresh_from_db()
    student = roles["student"]
    work_services.work_submit(work=complete_art_work(edition, student), actor=student)
    client = committee_client(client, roles)
    response = client.post(f"/editions/{edition.slug}/school-confirmation/", {"reason": "取消试点"})
    assert "仍有 1 件作品等待学校确认。" in response.content.decode()
    assert Edition.objects.get(pk=edition.pk).school_confirmation


def test_other_roles_cannot_open_the_option_page(client, edition, roles):
    client.force_login(roles["coordinator"])
    response = client.get(f"/editions/{edition.slug}/school-confirmation/")
    assert response.status_code == 403
