"""After the award list's 公示: corrections, the public notice, the finalist-list gate
before the final's sessions start, and one award list per edition under concurrency."""

import threading
import uuid

import pytest
from django.db import connection

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
)
from tests.factories.works import rubric_values
from tests.finals.conftest import award_list_of, end_of
from tests.publicity.helpers import REASON

pytestmark = pytest.mark.django_db


def test_correction_after_publication_is_a_new_decision_and_reissues(locked, client):
    event, committee = locked["event"], locked["committee"]
    work = locked["works"][1]
    with pytest.raises(DomainError) as err:
        awards.award_correct(
            event=event, work=work, star_level=StarLevel.FIVE, actor=committee, reason="复核"
        )
    assert err.value.code == "not_published"
    publicity = award_list_of(locked)
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
    publicity = award_list_of(locked)
    notice = (
        f"获奖名单正在公示，公示期至 {end_of(publicity)}。"
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
            values=rubric_values(work, 8),
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
        values=rubric_values(work, 8),
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
            award_list_of(locked)
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
