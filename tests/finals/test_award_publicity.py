"""Award lists become final only after 公示, then results and certificates (issue 22, item 2).

Order: computed → locked → award list in publicity → confirmed final → published with
certificates. Everything here goes through the real services (fixtures in conftest).
"""

import datetime

import pytest

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.finals import services
from gongchuang.finals.models import Certificate
from gongchuang.publicity.services import (
    objection_decide,
    objection_file,
    publicity_confirm_final,
    publicity_reopen,
)
from gongchuang.submissions.enums import WorkState
from tests.finals.conftest import award_list_of, end_of
from tests.publicity.helpers import REASON

pytestmark = pytest.mark.django_db


def test_publish_refused_before_award_list_and_before_its_confirmation(locked):
    event, committee = locked["event"], locked["committee"]
    with pytest.raises(DomainError) as err:
        services.results_publish(event=event, actor=committee)
    assert (err.value.code, str(err.value.message)) == (
        "no_award_list",
        "请先发布获奖名单公示，然后才能发布成绩。",
    )
    publicity = award_list_of(locked)
    # The list holds the proposed awards of the locked results; nobody is awarded yet.
    stars = dict(event.results.values_list("work__title", "star_level"))
    assert stars == {"作品9": "five", "作品7": "four", "作品5": "three", "无评分作品": ""}
    assert sorted(publicity.entries.values_list("work__title", flat=True)) == sorted(
        ["作品9", "作品7", "作品5", "无评分作品"]
    )
    assert set(event.edition.works.values_list("state", flat=True)) == {WorkState.FINALIST}
    with pytest.raises(DomainError) as err:
        services.results_publish(event=event, actor=committee)
    assert err.value.code == "award_list_not_final"
    assert str(err.value.message) == (
        f"获奖名单公示期至 {end_of(publicity)}；经组委会确认生效后才能发布成绩。"
    )
    assert Certificate.objects.count() == 0
    event.refresh_from_db()
    assert event.results_published_at is None


def test_confirmation_waits_for_the_window_and_for_every_objection(locked, roles):
    event, committee = locked["event"], locked["committee"]
    publicity = award_list_of(locked)
    with pytest.raises(DomainError) as err:
        publicity_confirm_final(publicity=publicity, actor=committee)
    assert (err.value.code, str(err.value.message)) == (
        "too_early",
        f"公示期尚未结束（截止于 {end_of(publicity)}）。",
    )
    objection = objection_file(
        entry=publicity.entries.get(work=locked["works"][0]),
        objector=roles["student_b"],
        reason=REASON,
        contact="13800000000",
    )
    with pytest.raises(DomainError) as err:
        publicity_confirm_final(publicity=publicity, actor=committee, now=publicity.ends_at)
    assert (err.value.code, str(err.value.message)) == (
        "pending_objections",
        "该名单还有 1 条异议尚未处理完毕。",
    )
    assert Certificate.objects.count() == 0
    objection_decide(objection=objection, actor=committee, upheld=False, reason="经核查为原创。")
    publicity = publicity_confirm_final(publicity=publicity, actor=committee, now=publicity.ends_at)
    assert publicity.is_final
    assert Certificate.objects.count() == 0  # confirmation alone issues nothing
    event = services.results_publish(event=event, actor=committee)
    states = dict(event.edition.works.values_list("title", "state"))
    assert states == {
        "作品9": WorkState.AWARDED,
        "作品7": WorkState.AWARDED,
        "作品5": WorkState.AWARDED,
        "无评分作品": WorkState.AWARDED,
    }
    assert sorted(Certificate.objects.values_list("award", flat=True)) == [
        "三星作品",
        "五星作品",
        "四星作品",
        "最佳创意奖",
    ]
    actions = list(
        AuditEvent.objects.filter(
            action__in=["publicity.publish", "publicity.confirm_final", "final.results_publish"]
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == ["publicity.publish", "publicity.confirm_final", "final.results_publish"]


def test_award_list_needs_locked_results_and_freezes_them(locked, roles):
    event, committee = locked["event"], locked["committee"]
    services.results_unlock(event=event, actor=committee, reason="复核评分")
    with pytest.raises(DomainError) as err:
        award_list_of(locked)
    assert (err.value.code, str(err.value.message)) == (
        "not_locked",
        "请先锁定决赛成绩，再发布获奖名单公示。",
    )
    event = services.results_lock(event=event, actor=committee)
    award_list_of(locked)
    with pytest.raises(DomainError) as err:
        award_list_of(locked)
    assert (err.value.code, str(err.value.message)) == ("duplicate", "本届获奖名单已经发布公示。")
    for write in (
        lambda: services.results_unlock(event=event, actor=committee, reason="再改"),
        lambda: services.special_award_create(
            event=event, name="新奖项", work=locked["works"][2], actor=committee
        ),
    ):
        with pytest.raises(DomainError) as err:
            write()
        assert str(err.value.message) == "获奖名单已发布公示，其所列成绩不能再更改。"
    event.refresh_from_db()
    assert event.is_locked and event.special_awards.count() == 1


def test_upheld_objection_changes_the_award_by_transition_and_list_can_reopen(
    locked, roles, client
):
    event, committee = locked["event"], locked["committee"]
    publicity = award_list_of(locked)
    target = locked["works"][1]
    objection = objection_file(
        entry=publicity.entries.get(work=target),
        objector=roles["student_b"],
        reason=REASON,
        contact="13800000000",
    )
    with pytest.raises(DomainError) as err:  # "not selected" is for finalist lists
        objection_decide(
            objection=objection,
            actor=committee,
            upheld=True,
            reason="作品存在抄袭。",
            work_state=WorkState.NOT_SELECTED,
        )
    assert err.value.code == "bad_work_state"
    objection.refresh_from_db()
    objection_decide(
        objection=objection,
        actor=committee,
        upheld=True,
        reason="作品引用素材未注明来源。",
        work_state=WorkState.PARTICIPATED,
    )
    target.refresh_from_db()
    assert target.state == WorkState.PARTICIPATED
    transition = AuditEvent.objects.filter(action="work.transition", object_id=str(target.pk))
    assert transition.latest("id").reason == "异议成立：作品引用素材未注明来源。"
    assert publicity.entries.get(work=target).removed_at is not None
    # The committee decides to put the changed list back into publicity: a new window.
    with pytest.raises(DomainError) as err:
        publicity_reopen(publicity=publicity, actor=committee, reason=" ")
    assert err.value.code == "no_reason"
    later = publicity.ends_at + datetime.timedelta(days=1)
    reopened = publicity_reopen(
        publicity=publicity, actor=committee, reason="获奖名单有变更，重新公示。", now=later
    )
    assert reopened.published_at == later and reopened.ends_at > later
    assert AuditEvent.objects.get(action="publicity.reopen").reason == "获奖名单有变更，重新公示。"
    with pytest.raises(DomainError):
        publicity_confirm_final(publicity=reopened, actor=committee, now=later)
    publicity_confirm_final(publicity=reopened, actor=committee, now=reopened.ends_at)
    services.results_publish(event=event, actor=committee)
    target.refresh_from_db()
    assert target.state == WorkState.PARTICIPATED
    assert not Certificate.objects.filter(work=target).exists()
    assert Certificate.objects.filter(work=locked["works"][0]).count() == 1
    body = client.get(f"/results/?edition={event.edition.slug}").content.decode()
    assert "作品9" in body and "作品7" not in body  # its computed star is not shown


def test_confirmed_list_is_immutable_and_late_objections_get_the_date(locked, roles):
    committee = locked["committee"]
    publicity = award_list_of(locked)
    entry = publicity.entries.get(work=locked["works"][0])
    with pytest.raises(DomainError) as err:
        objection_file(
            entry=entry,
            objector=roles["student_b"],
            reason=REASON,
            contact="x",
            now=publicity.ends_at,
        )
    assert (err.value.code, str(err.value.message)) == (
        "late",
        f"该名单的公示期已于 {end_of(publicity)} 结束，不再受理异议。",
    )
    publicity = publicity_confirm_final(publicity=publicity, actor=committee, now=publicity.ends_at)
    with pytest.raises(DomainError) as err:
        publicity_reopen(publicity=publicity, actor=committee, reason="想再改")
    assert (err.value.code, str(err.value.message)) == ("final", "已确认生效的名单不能再更改。")
    for stale in (entry, type(entry).objects.get(pk=entry.pk)):  # a stale object, then fresh
        with pytest.raises(DomainError) as err:
            objection_file(entry=stale, objector=roles["student_b"], reason=REASON, contact="x")
        assert (err.value.code, str(err.value.message)) == ("already_final", "该名单已确认生效。")
    assert entry.objections.count() == 0


def test_zero_working_days_ends_at_publication_and_objections_still_count(locked, roles):
    edition, committee = locked["event"].edition, locked["committee"]
    edition.settings = {**edition.settings, "award_publicity_working_days": 0}
    edition.save(update_fields=["settings"])
    publicity = award_list_of(locked)
    assert publicity.ends_at == publicity.published_at
    with pytest.raises(DomainError) as err:
        objection_file(
            entry=publicity.entries.first(),
            objector=roles["student_b"],
            reason=REASON,
            contact="x",
        )
    assert err.value.code == "late"
    publicity = publicity_confirm_final(publicity=publicity, actor=committee)
    assert publicity.is_final
    # The finalist list keeps the edition's general window (5 working days by default).
    assert edition.settings["publicity_working_days"] == 5


def test_decision_page_offers_the_award_list_outcomes(locked, roles, client):
    committee = locked["committee"]
    publicity = award_list_of(locked)
    target = locked["works"][0]
    objection = objection_file(
        entry=publicity.entries.get(work=target),
        objector=roles["student_b"],
        reason=REASON,
        contact="x",
    )
    client.force_login(committee)
    url = f"/publicity/manage/objections/{objection.pk}/"
    body = client.get(url).content.decode()
    assert 'value="participated" selected' in body and 'value="disqualified"' in body
    assert 'value="not_selected"' not in body
    client.post(
        url,
        {
            "action": "decide",
            "decide-upheld": "1",
            "decide-work_state": "participated",
            "decide-reason": "作品引用素材未注明来源。",
        },
    )
    target.refresh_from_db()
    assert target.state == WorkState.PARTICIPATED
    assert publicity.entries.get(work=target).removed_at is not None
