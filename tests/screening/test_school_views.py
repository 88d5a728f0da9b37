"""The coordinator's school confirmation pages and the unit's school progress."""

import pytest

from gongchuang.accounts.enums import Role
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work
from tests.factories import people

from . import factories
from .school_helpers import close_window, turn_on

pytestmark = pytest.mark.django_db
BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"


def _waiting(edition, units, n=1, school="hd_school", **fields):
    works = []
    for _ in range(n):
        work = factories.work(
            edition, unit=units["hd"], school=units[school], submit=False, **fields
        )
        works.append(transition_work(work, WorkState.AWAITING_SCHOOL, actor=work.created_by))
    return works


def _as(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def test_queue_lists_own_schools_waiting_works_as_cards(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    own = _waiting(edition, units, 2)
    foreign = _waiting(edition, units, 1, school="hd_school2")
    draft = factories.work(edition, unit=units["hd"], school=units["hd_school"], submit=False)
    confirmed = factories.work(edition, unit=units["hd"], school=units["hd_school"])
    page = _as(client, roles["coordinator"]).get("/screening/school/").content.decode()
    assert "2 件作品等待您确认。" in page
    for work in own:
        assert f'data-code="{work.code}"' in page
    for work in (*foreign, draft, confirmed):
        assert work.title not in page
    everything = client.get("/screening/school/?state=").content.decode()
    assert confirmed.title in everything and draft.title not in everything


def test_bulk_confirm_then_the_unit_sees_the_works(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    works = _waiting(edition, units, 3)
    response = _as(client, roles["coordinator"]).post(
        "/screening/school/bulk/", {"works": [w.pk for w in works[:2]]}, follow=True
    )
    assert "已确认 2 件作品。" in response.content.decode()
    assert sorted(Work.objects.values_list("state", flat=True)) == [
        WorkState.AWAITING_SCHOOL,
        WorkState.SUBMITTED,
        WorkState.SUBMITTED,
    ]
    unit_page = _as(client, roles["organizer"]).get("/screening/unit/").content.decode()
    assert works[0].code in unit_page and works[1].code in unit_page
    assert works[2].code not in unit_page
    assert 'data-testid="school-progress"' in unit_page


def test_bulk_with_another_schools_work_is_404_and_changes_nothing(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    own = _waiting(edition, units, 1)
    foreign = _waiting(edition, units, 1, school="hd_school2")
    response = _as(client, roles["coordinator"]).post(
        "/screening/school/bulk/", {"works": [own[0].pk, foreign[0].pk]}
    )
    assert response.status_code == 404
    assert set(Work.objects.values_list("state", flat=True)) == {WorkState.AWAITING_SCHOOL}


def test_bulk_with_nothing_selected_says_so(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    _waiting(edition, units, 1)
    response = _as(client, roles["coordinator"]).post("/screening/school/bulk/", {}, follow=True)
    assert "请至少选择一件作品。" in response.content.decode()


def test_work_page_returns_with_reason_only(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    (work,) = _waiting(edition, units, 1)
    url = f"/screening/school/works/{work.pk}/"
    client = _as(client, roles["coordinator"])
    response = client.post(url, {"decision": "return", "reason": ""})
    assert "请填写退回原因。" in response.content.decode()
    assert Work.objects.get(pk=work.pk).state == WorkState.AWAITING_SCHOOL
    response = client.post(url, {"decision": "return", "reason": "缺少创作说明"}, follow=True)
    assert f"{work.code} 已退回作者。" in response.content.decode()
    work.refresh_from_db()
    assert (work.state, work.state_reason) == (WorkState.SCHOOL_RETURNED, "缺少创作说明")


def test_work_page_confirms(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    (work,) = _waiting(edition, units, 1)
    response = _as(client, roles["coordinator"]).post(
        f"/screening/school/works/{work.pk}/", {"decision": "confirm"}, follow=True
    )
    assert f"{work.code} 已确认，并已提交组织单位审查。" in response.content.decode()
    assert Work.objects.get(pk=work.pk).state == WorkState.SUBMITTED


def test_closed_window_shows_no_actions_and_refuses_a_post(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    (work,) = _waiting(edition, units, 1)
    close_window(edition)
    client = _as(client, roles["coordinator"])
    queue = client.get("/screening/school/").content.decode()
    assert 'data-testid="window-closed"' in queue and 'id="bulk-form"' not in queue
    response = client.post(
        f"/screening/school/works/{work.pk}/", {"decision": "confirm"}, follow=True
    )
    assert "学校确认时间窗口未开放，现在不能确认或退回作品。" in response.content.decode()
    response = client.post("/screening/school/bulk/", {"works": [work.pk]}, follow=True)
    assert "学校确认时间窗口未开放，现在不能确认或退回作品。" in response.content.decode()
    assert Work.objects.get(pk=work.pk).state == WorkState.AWAITING_SCHOOL


def test_another_schools_work_page_is_404(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    (foreign,) = _waiting(edition, units, 1, school="hd_school2")
    response = _as(client, roles["coordinator"]).get(f"/screening/school/works/{foreign.pk}/")
    assert response.status_code == 404


def test_organizer_does_not_see_works_waiting_for_their_school(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    (work,) = _waiting(edition, units, 1)
    client = _as(client, roles["organizer"])
    assert client.get(f"/screening/unit/works/{work.pk}/").status_code == 404
    page = client.get("/screening/unit/").content.decode()
    assert work.title not in page
    assert 'data-school="海淀测试中学"' in page


def test_option_off_queue_explains_and_unit_page_has_no_progress(client, edition, roles, units):
    factories.work(edition, unit=units["hd"], school=units["hd_school"], title="直接提交的作品")
    page = _as(client, roles["coordinator"]).get("/screening/school/").content.decode()
    assert "本届活动未开启学校确认" in page
    unit_page = _as(client, roles["organizer"]).get("/screening/unit/").content.decode()
    assert 'data-testid="school-progress"' not in unit_page
    assert "直接提交的作品" in unit_page


def test_queue_page_queries_stay_bounded(
    client, edition, roles, units, django_assert_max_num_queries
):
    turn_on(edition, roles["committee"])
    _waiting(edition, units, 20)
    client = _as(client, roles["coordinator"])
    client.get("/screening/school/")
    with django_assert_max_num_queries(14):
        response = client.get("/screening/school/")
    assert response.content.decode().count('data-testid="work-card"') == 20


def test_coordinator_of_two_schools_filters_by_school(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    a = _waiting(edition, units, 1)
    b = _waiting(edition, units, 1, school="hd_school2")
    both = people.staff(Role.SCHOOL_COORDINATOR, unit=units["hd"], school=units["hd_school"])
    from gongchuang.accounts.services import membership_grant

    membership_grant(
        user=both, role=Role.SCHOOL_COORDINATOR, unit=units["hd"], school=units["hd_school2"]
    )
    client = _as(client, both)
    page = client.get(f"/screening/school/?state=awaiting_school&school={units['hd_school2'].pk}")
    html = page.content.decode()
    assert b[0].code in html and a[0].code not in html


def test_dashboard_tells_the_coordinator_how_many_works_wait(client, edition, roles, units):
    client = _as(client, roles["coordinator"])
    page = client.get("/accounts/dashboard/").content.decode()
    assert 'data-testid="screening-school-panel"' not in page  # option off, nothing waits
    turn_on(edition, roles["committee"])
    _waiting(edition, units, 2)
    page = client.get("/accounts/dashboard/").content.decode()
    assert 'data-testid="screening-school-panel"' in page
    assert "件作品等待您确认" in page


def test_second_page_keeps_showing_waiting_works(client, edition, roles, units):
    turn_on(edition, roles["committee"])
    _waiting(edition, units, 26)
    factories.work(edition, unit=units["hd"], school=units["hd_school"], title="已在区里的作品")
    page = _as(client, roles["coordinator"]).get("/screening/school/?page=2").content.decode()
    assert page.count('data-testid="work-card"') == 1
    assert "已在区里的作品" not in page
