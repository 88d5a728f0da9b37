"""Award lists become final only after 公示, then results and certificates (issue 22, item 2).

Order: computed → locked → award list in publicity → confirmed final → published with
certificates. Everything here goes through the real services.
"""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.finals import awards, services
from gongchuang.finals.enums import ScoreKind, StarLevel
from gongchuang.finals.models import Certificate, FinalResult
from gongchuang.publicity.enums import ListKind
from gongchuang.publicity.models import PublicityList
from gongchuang.publicity.services import (
    objection_decide,
    objection_file,
    publicity_confirm_final,
    publicity_publish,
    publicity_reopen,
)
from gongchuang.submissions.enums import WorkState
from tests.publicity.helpers import REASON

pytestmark = pytest.mark.django_db


def _full(work, value):
    return {str(d.pk): value for d in work.category.rubric.all()}


@pytest.fixture
def locked(session, finalist_factory, units, judge, roles):
    """Three scored finalists (9, 7, 5), results computed and locked; one special award."""
    committee = roles["committee"]
    services.session_add_judge(session=session, judge=judge, actor=committee)
    works = []
    for value in (9, 7, 5):
        work = finalist_factory(school=units["hd_school"], title=f"作品{value}")
        services.session_add_participant(session=session, work=work, actor=committee)
        for kind in (ScoreKind.PRESENTATION, ScoreKind.TASK):
            services.score_save(
                judge=judge,
                session=session,
                work=work,
                kind=kind,
                values=_full(work, value),
                client_uuid=uuid.uuid4(),
            )
        works.append(work)
    unscored = finalist_factory(school=units["hd_school"], title="无评分作品")
    services.special_award_create(
        event=session.event, name="最佳创意奖", work=unscored, actor=committee
    )
    services.results_compute(event=session.event, actor=committee)
    event = services.results_lock(event=session.event, actor=committee)
    return {"event": event, "works": works, "special": unscored, "committee": committee}


def _award_list(locked, now=None):
    return publicity_publish(
        edition=locked["event"].edition,
        kind=ListKind.AWARD,
        title="获奖名单公示",
        actor=locked["committee"],
        now=now,
    )


def _end(publicity) -> str:
    return timezone.localtime(publicity.ends_at).strftime("%Y-%m-%d %H:%M")


def test_publish_refused_before_award_list_and_before_its_confirmation(locked):
    event, committee = locked["event"], locked["committee"]
    with pytest.raises(DomainError) as err:
        services.results_publish(event=event, actor=committee)
    assert (err.value.code, str(err.value.message)) == (
        "no_award_list",
        "请先发布获奖名单公示，然后才能发布成绩。",
    )
    publicity = _award_list(locked)
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
        f"获奖名单公示期至 {_end(publicity)}；经组委会确认生效后才能发布成绩。"
    )
    assert Certificate.objects.count() == 0
    event.refresh_from_db()
    assert event.results_published_at is None


def test_confirmation_waits_for_the_window_and_for_every_objection(locked, roles):
    event, committee = locked["event"], locked["committee"]
    publicity = _award_list(locked)
    with pytest.raises(DomainError) as err:
        publicity_confirm_final(publicity=publicity, actor=committee)
    assert (err.value.code, str(err.value.message)) == (
        "too_early",
        f"公示期尚未结束（截止于 {_end(publicity)}）。",
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
        _award_list(locked)
    assert (err.value.code, str(err.value.message)) == (
        "not_locked",
        "请先锁定决赛成绩，再发布获奖名单公示。",
    )
    event = services.results_lock(event=event, actor=committee)
    _award_list(locked)
    with pytest.raises(DomainError) as err:
        _award_list(locked)
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
    publicity = _award_list(locked)
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
    publicity = _award_list(locked)
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
        f"该名单的公示期已于 {_end(publicity)} 结束，不再受理异议。",
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
    publicity = _award_list(locked)
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


def test_correction_after_publication_is_a_new_decision_and_reissues(locked, client):
    event, committee = locked["event"], locked["committee"]
    work = locked["works"][1]
    with pytest.raises(DomainError) as err:
        awards.award_correct(
            event=event, work=work, star_level=StarLevel.FIVE, actor=committee, reason="复核"
        )
    assert err.value.code == "not_published"
    publicity = _award_list(locked)
    publicity_confirm_final(publicity=publicity, actor=committee, now=publicity.ends_at)
    event = services.results_publish(event=event, actor=committee)
    work.refresh_from_db()
    old = Certificate.objects.get(work=work)
    assert old.award == "四星作品"
    with pytest.raises(DomainError) as err:
        awards.award_correct(
            event=event, work=work, star_level=StarLevel.FIVE, actor=committee, reason=" "
        )
    assert (err.value.code, str(err.value.message)) == ("no_reason", "请填写更正的原因。")
    issued = awards.award_correct(
        event=event,
        work=work,
        star_level=StarLevel.FIVE,
        actor=committee,
        reason="复核发现评分录入错误。",
    )
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert [(c.award, c.revoked_at) for c in issued] == [("五星作品", None)]
    assert issued[0].code != old.code
    assert FinalResult.objects.get(event=event, work=work).star_level == StarLevel.FIVE
    audit = AuditEvent.objects.get(action="final.award_correct")
    assert audit.reason == "复核发现评分录入错误。"
    assert (audit.before["star_level"], audit.after["star_level"]) == ("four", "five")
    assert audit.before["certificates"] == [old.code]
    assert client.get(f"/final/verify/{old.code}/").status_code == 404
    assert "五星作品" in client.get(f"/final/verify/{issued[0].code}/").content.decode()
    publicity.refresh_from_db()
    assert publicity.entries.filter(removed_at__isnull=True).count() == 4  # list unchanged


def test_results_and_verify_pages_announce_the_publicity(locked, client):
    event, committee = locked["event"], locked["committee"]
    slug = event.edition.slug
    assert "获奖名单正在公示" not in client.get(f"/results/?edition={slug}").content.decode()
    publicity = _award_list(locked)
    notice = (
        f"获奖名单正在公示，公示期至 {_end(publicity)}。"
        "公示期结束并经组委会确认生效后，才发布成绩、颁发证书。"
    )
    for url in (f"/results/?edition={slug}", "/final/verify/", "/final/verify/NOPE123/"):
        assert notice in client.get(url).content.decode(), url
    publicity_confirm_final(publicity=publicity, actor=committee, now=publicity.ends_at)
    body = client.get(f"/results/?edition={slug}").content.decode()
    assert "获奖名单已确认生效，成绩与证书即将发布。" in body
    services.results_publish(event=event, actor=committee)
    for url in (f"/results/?edition={slug}", "/final/verify/"):
        body = client.get(url).content.decode()
        assert "获奖名单正在公示" not in body and "即将发布" not in body
    assert "作品9" in client.get(f"/results/?edition={slug}").content.decode()


def test_final_sessions_start_only_once_the_finalist_list_is_final(
    session, finalist_factory, units, judge, roles
):
    committee = roles["committee"]
    work = finalist_factory(school=units["hd_school"], listed=False)
    services.session_add_participant(session=session, work=work, actor=committee)
    services.session_add_judge(session=session, judge=judge, actor=committee)
    publicity = publicity_publish(
        edition=work.edition,
        kind=ListKind.FINALIST,
        title="决赛入围名单公示",
        actor=committee,
        works=[work],
    )
    objection = objection_file(
        entry=publicity.entries.get(), objector=roles["student_b"], reason=REASON, contact="x"
    )
    checkin = session.event.attendances.get(work=work).checkin_code
    task = services.task_create(
        session=session,
        title="现场任务",
        statement="设计海报",
        time_limit_minutes=60,
        actor=committee,
    )
    message = (
        f"作品 {work.code} 所在的决赛入围名单尚未确认生效（须先完成公示并处理异议），"
        "其决赛环节不能开始。"
    )
    for start in (
        lambda: services.score_save(
            judge=judge,
            session=session,
            work=work,
            kind=ScoreKind.PRESENTATION,
            values=_full(work, 8),
            client_uuid=uuid.uuid4(),
        ),
        lambda: services.checkin_by_code(event=session.event, code=checkin, actor=committee),
        lambda: services.task_release(task=task, actor=committee),
    ):
        with pytest.raises(DomainError) as err:
            start()
        assert (err.value.code, str(err.value.message)) == ("finalist_list_not_final", message)
    objection_decide(objection=objection, actor=committee, upheld=False, reason="经核查无问题。")
    publicity_confirm_final(publicity=publicity, actor=committee, now=publicity.ends_at)
    score, status = services.score_save(
        judge=judge,
        session=session,
        work=work,
        kind=ScoreKind.PRESENTATION,
        values=_full(work, 8),
        client_uuid=uuid.uuid4(),
    )
    assert (status, score.total) == ("created", 80)
    assert services.checkin_by_code(
        event=session.event, code=checkin, actor=committee
    ).checked_in_at
    assert services.task_release(task=task, actor=committee).is_released


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_award_lists_make_one(locked):
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database does not allow concurrent writers")
    barrier = threading.Barrier(3)
    codes, errors = [], []

    def publish():
        try:
            barrier.wait()
            _award_list(locked)
            codes.append("ok")
        except DomainError as exc:
            codes.append(exc.code)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(codes) == ["duplicate", "duplicate", "ok"]
    assert PublicityList.objects.filter(kind=ListKind.AWARD).count() == 1


def test_decision_page_offers_the_award_list_outcomes(locked, roles, client):
    committee = locked["committee"]
    publicity = _award_list(locked)
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
