"""Final services: programme, conflicts, attendance, tasks, idempotent scores, results, publish."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from gongchuang.accounts.enums import Role
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.finals import services
from gongchuang.finals.enums import Attendance, ScoreKind, StarLevel
from gongchuang.finals.models import Certificate, FinalResult, OnsiteTask, Score
from gongchuang.submissions.enums import WorkState
from tests.factories import people
from tests.finals.conftest import publish_results

pytestmark = pytest.mark.django_db


def _dims(work):
    return list(work.category.rubric.order_by("order", "pk"))


def _full(work, value):
    return {str(d.pk): value for d in _dims(work)}


def _score(judge, session, work, kind, value, uid=None, rev=1):
    return services.score_save(
        judge=judge,
        session=session,
        work=work,
        kind=kind,
        values=_full(work, value),
        client_uuid=uid or uuid.uuid4(),
        client_rev=rev,
    )


def test_judge_with_same_unit_as_author_is_refused(session, finalist_factory, units, roles):
    work = finalist_factory(school=units["hd_school"])
    services.session_add_participant(session=session, work=work, actor=roles["committee"])
    hd_expert = people.staff(Role.EXPERT, unit=units["hd"])
    with pytest.raises(DomainError) as err:
        services.session_add_judge(session=session, judge=hd_expert, actor=roles["committee"])
    assert work.code in str(err.value)
    assert session.judge_links.count() == 0


def test_work_from_judges_school_cannot_join_session(
    session, finalist_factory, units, judge, roles
):
    services.session_add_judge(session=session, judge=judge, actor=roles["committee"])
    work = finalist_factory(school=units["cy_school"])
    with pytest.raises(DomainError):
        services.session_add_participant(session=session, work=work, actor=roles["committee"])


def test_student_cannot_judge(session, roles):
    with pytest.raises(DomainError):
        services.session_add_judge(
            session=session, judge=roles["student"], actor=roles["committee"]
        )


def test_only_finalists_join_sessions(session, finalist_factory, units, roles):
    work = finalist_factory(school=units["hd_school"])
    services.session_add_participant(session=session, work=work, actor=roles["committee"])
    services.results_compute(event=session.event, actor=roles["committee"])
    other = finalist_factory(school=units["hd_school"])
    from gongchuang.submissions.services import transition_work

    transition_work(other, WorkState.NOT_SELECTED, actor=None)
    other.refresh_from_db()
    with pytest.raises(DomainError):
        services.session_add_participant(session=session, work=other, actor=roles["committee"])


def test_attendance_confirm_and_withdraw_by_author_only(event, finalist_factory, units, roles):
    work = finalist_factory(school=units["hd_school"])
    author = work.authorships.get().user
    row = services.attendance_answer(event=event, work=work, user=author, attend=True)
    assert row.status == Attendance.CONFIRMED
    with pytest.raises(DomainError):
        services.attendance_answer(event=event, work=work, user=roles["student_b"], attend=False)
    row = services.attendance_answer(event=event, work=work, user=author, attend=False)
    assert row.status == Attendance.WITHDRAWN
    assert AuditEvent.objects.filter(action="final.attendance").count() == 2


def test_checkin_by_code(session, finalist_factory, units, roles):
    work = finalist_factory(school=units["hd_school"])
    services.session_add_participant(session=session, work=work, actor=roles["committee"])
    code = work.final_attendances.get().checkin_code
    row = services.checkin_by_code(event=session.event, code=code.lower(), actor=roles["committee"])
    assert row.checked_in_at is not None and row.status == Attendance.CONFIRMED
    with pytest.raises(DomainError):
        services.checkin_by_code(event=session.event, code="NOPE", actor=roles["committee"])


def test_task_hidden_until_released_and_server_deadline_with_extension(
    session, finalist_factory, units, roles
):
    work = finalist_factory(school=units["hd_school"])
    services.session_add_participant(session=session, work=work, actor=roles["committee"])
    author = work.authorships.get().user
    task = OnsiteTask.objects.create(
        session=session, title="现场任务", statement="设计一个智能体", time_limit_minutes=30
    )
    with pytest.raises(DomainError):
        services.task_submit(task=task, work=work, user=author, text="答案")
    task = services.task_release(task=task, actor=roles["committee"])
    services.task_submit(task=task, work=work, user=author, text="第一版")
    # time runs out
    OnsiteTask.objects.filter(pk=task.pk).update(
        released_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    task.refresh_from_db()
    with pytest.raises(DomainError) as err:
        services.task_submit(task=task, work=work, user=author, text="迟到")
    assert err.value.code == "deadline"
    with pytest.raises(DomainError):
        services.task_extend(task=task, work=work, minutes=10, reason=" ", actor=roles["committee"])
    services.task_extend(
        task=task, work=work, minutes=10, reason="设备故障", actor=roles["committee"]
    )
    sub = services.task_submit(task=task, work=work, user=author, text="第二版")
    assert sub.text == "第二版" and task.submissions.count() == 1
    assert AuditEvent.objects.filter(action="final.task_extend", reason="设备故障").count() == 1


def test_score_sync_is_idempotent_by_client_uuid(session, finalist_factory, units, judge, roles):
    work = finalist_factory(school=units["hd_school"])
    services.session_add_participant(session=session, work=work, actor=roles["committee"])
    services.session_add_judge(session=session, judge=judge, actor=roles["committee"])
    uid = str(uuid.uuid4())
    item = {
        "client_uuid": uid,
        "session": session.pk,
        "work": work.pk,
        "kind": "presentation",
        "values": _full(work, 8),
        "rev": 5,
    }
    first = services.scores_sync(judge=judge, items=[item])
    replay = services.scores_sync(judge=judge, items=[item, item])
    assert [r["status"] for r in first + replay] == ["created", "unchanged", "unchanged"]
    assert first[0]["total"] == "80.00"
    older = {**item, "values": _full(work, 2), "rev": 4}
    newer = {**item, "values": _full(work, 9), "rev": 6}
    assert [r["status"] for r in services.scores_sync(judge=judge, items=[older, newer])] == [
        "unchanged",
        "updated",
    ]
    score = Score.objects.get()
    assert score.total == Decimal("90.00") and score.client_uuid == uuid.UUID(uid)


def test_score_refused_for_other_judge_bad_value_and_when_locked(
    session, finalist_factory, units, judge, roles
):
    work = finalist_factory(school=units["hd_school"])
    services.session_add_participant(session=session, work=work, actor=roles["committee"])
    services.session_add_judge(session=session, judge=judge, actor=roles["committee"])
    with pytest.raises(DomainError):
        _score(roles["expert"], session, work, ScoreKind.PRESENTATION, 5)
    with pytest.raises(DomainError):
        _score(judge, session, work, ScoreKind.PRESENTATION, 11)
    _score(judge, session, work, ScoreKind.PRESENTATION, 5)
    _score(judge, session, work, ScoreKind.TASK, 5)
    services.results_compute(event=session.event, actor=roles["committee"])
    event = services.results_lock(event=session.event, actor=roles["committee"])
    session.event = event
    with pytest.raises(DomainError) as err:
        _score(judge, session, work, ScoreKind.PRESENTATION, 6)
    assert err.value.code == "locked"


def test_partial_sheet_has_no_total(session, finalist_factory, units, judge, roles):
    work = finalist_factory(school=units["hd_school"])
    services.session_add_participant(session=session, work=work, actor=roles["committee"])
    services.session_add_judge(session=session, judge=judge, actor=roles["committee"])
    first_dim = _dims(work)[0]
    score, status = services.score_save(
        judge=judge,
        session=session,
        work=work,
        kind="presentation",
        values={str(first_dim.pk): 7},
        client_uuid=uuid.uuid4(),
        client_rev=1,
    )
    assert (status, score.total, score.is_complete) == ("created", None, False)


def test_combined_score_uses_edition_weights():
    w = {"presentation": Decimal(60), "task": Decimal(40), "online": Decimal(0)}
    parts = {"presentation": Decimal("80"), "task": Decimal("70"), "online": None}
    assert services.combined_score(parts, w) == Decimal("76.00")
    assert services.combined_score({**parts, "task": None}, w) is None
    w3 = {**w, "online": Decimal(20)}
    assert services.combined_score({**parts, "online": Decimal("90")}, w3) == Decimal("78.33")
    assert services.combined_score(parts, w3) == Decimal("76.00")


def _scored_event(session, finalist_factory, units, judge, roles, values):
    works = []
    for _ in values:
        work = finalist_factory(school=units["hd_school"])
        services.session_add_participant(session=session, work=work, actor=roles["committee"])
        works.append(work)
    services.session_add_judge(session=session, judge=judge, actor=roles["committee"])
    for work, (p, t) in zip(works, values, strict=True):
        _score(judge, session, work, ScoreKind.PRESENTATION, p)
        _score(judge, session, work, ScoreKind.TASK, t)
    return works


def test_results_compute_lock_unlock_publish(
    session, finalist_factory, units, judge, roles, mailoutbox
):
    committee = roles["committee"]
    works = _scored_event(
        session,
        finalist_factory,
        units,
        judge,
        roles,
        [(10, 9), (8, 8), (7, 7), (6, 5), (5, 5), (4, 4), (3, 2)],
    )
    unscored = finalist_factory(school=units["hd_school"])
    results = services.results_compute(event=session.event, actor=committee)
    by_work = {r.work_id: r for r in results}
    assert by_work[works[0].pk].combined == Decimal("95.00")
    assert [by_work[w.pk].star_level for w in works] == [
        StarLevel.FIVE,
        StarLevel.FOUR,
        StarLevel.FOUR,
        StarLevel.FOUR,
        StarLevel.THREE,
        StarLevel.THREE,
        StarLevel.THREE,
    ]
    assert by_work[unscored.pk].combined is None and by_work[unscored.pk].star_level == ""
    services.special_award_create(
        event=session.event, name="科创之星奖", work=unscored, actor=committee
    )

    with pytest.raises(DomainError):
        services.results_publish(event=session.event, actor=committee)
    event = services.results_lock(event=session.event, actor=committee)
    with pytest.raises(DomainError):
        services.results_compute(event=event, actor=committee)
    with pytest.raises(DomainError):
        services.results_unlock(event=event, actor=committee, reason="")
    event = services.results_unlock(event=event, actor=committee, reason="评分录入错误")
    assert AuditEvent.objects.filter(action="final.results_unlock", reason="评分录入错误").exists()
    services.results_compute(event=event, actor=committee)
    event = services.results_lock(event=event, actor=committee)
    event = publish_results(event, committee)

    states = {w.pk: w.state for w in type(works[0]).objects.filter(edition=event.edition)}
    assert all(states[w.pk] == WorkState.AWARDED for w in works)
    assert states[unscored.pk] == WorkState.AWARDED  # special award
    certs = Certificate.objects.filter(event=event)
    assert certs.count() == 8
    assert set(certs.filter(work=works[0]).values_list("award", flat=True)) == {"五星作品"}
    assert certs.get(work=unscored).award == "科创之星奖"
    with pytest.raises(DomainError):
        services.results_unlock(event=event, actor=committee, reason="再改")
    assert FinalResult.objects.filter(event=event).count() == 8


def test_publish_marks_unawarded_finalists_participated(
    session, finalist_factory, units, judge, roles
):
    committee = roles["committee"]
    works = _scored_event(session, finalist_factory, units, judge, roles, [(9, 9)])
    absent = finalist_factory(school=units["hd_school"])
    services.attendance_answer(
        event=session.event, work=absent, user=absent.authorships.get().user, attend=False
    )
    services.results_compute(event=session.event, actor=committee)
    event = services.results_lock(event=session.event, actor=committee)
    publish_results(event, committee)
    absent.refresh_from_db()
    works[0].refresh_from_db()
    assert (works[0].state, absent.state) == (WorkState.AWARDED, WorkState.PARTICIPATED)
    assert not Certificate.objects.filter(work=absent).exists()


def test_teaching_cases_form_their_own_group_and_ties_share_a_rank(
    event, finalist_factory, units, judge, roles
):
    committee = roles["committee"]
    now = timezone.now()
    cases = event.edition.categories.get(code="teaching_case")
    case_session = services.session_create(
        event=event,
        kind="presentation",
        title="教学案例答辩",
        room="B1",
        starts_at=now,
        ends_at=now + datetime.timedelta(hours=1),
        category=cases,
        actor=committee,
    )
    teachers = [people.teacher(units["cy_school"], real_name=f"教师{i}") for i in range(3)]
    works = []
    for i, teacher in enumerate(teachers):
        work = finalist_factory(
            school=units["cy_school"],
            category="teaching_case",
            level="",
            title=f"教学案例{i}",
            student=teacher,
        )
        services.session_add_participant(session=case_session, work=work, actor=committee)
        works.append(work)
    services.session_add_judge(
        session=case_session,
        judge=people.staff(Role.EXPERT, username="case_judge", real_name="案例评委"),
        actor=committee,
    )
    case_judge = case_session.judge_links.get().judge
    for work, value in zip(works, (9, 9, 5), strict=True):
        for kind in (ScoreKind.PRESENTATION, ScoreKind.TASK):
            _score(case_judge, case_session, work, kind, value)
    results = {r.work_id: r for r in services.results_compute(event=event, actor=committee)}
    assert {results[w.pk].group_label for w in works} == {cases.name}
    assert [results[w.pk].rank for w in works] == [1, 1, 3]
    assert results[works[0].pk].star_level == results[works[1].pk].star_level == StarLevel.FIVE


def test_online_score_from_judging_is_used_when_weighted(
    session, finalist_factory, units, judge, roles, monkeypatch
):
    from gongchuang.judging import selectors as judging_selectors

    committee = roles["committee"]
    work = _scored_event(session, finalist_factory, units, judge, roles, [(8, 6)])[0]
    edition = session.event.edition
    edition.settings = {
        **edition.settings,
        "final_weights": {"presentation": 40, "task": 40, "online": 20},
    }
    edition.save(update_fields=["settings"])
    monkeypatch.setattr(
        judging_selectors,
        "final_online_scores",
        lambda works: {w.pk: Decimal("100") for w in works},
        raising=False,
    )
    result = services.results_compute(event=session.event, actor=committee)[0]
    assert result.work_id == work.pk
    assert (result.presentation, result.task, result.online) == (
        Decimal("80.00"),
        Decimal("60.00"),
        Decimal("100.00"),
    )
    assert result.combined == Decimal("76.00")


def test_disqualified_work_certificates_stop_verifying(
    session, finalist_factory, units, judge, roles, client, django_capture_on_commit_callbacks
):
    from gongchuang.submissions.services import transition_work

    committee = roles["committee"]
    work = _scored_event(session, finalist_factory, units, judge, roles, [(9, 9)])[0]
    services.results_compute(event=session.event, actor=committee)
    event = services.results_lock(event=session.event, actor=committee)
    publish_results(event, committee)
    certificate = Certificate.objects.get(work=work)
    assert client.get(f"/final/verify/{certificate.code}/").status_code == 200
    work.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        transition_work(work, WorkState.DISQUALIFIED, actor=committee, reason="异议成立")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    response = client.get(f"/final/verify/{certificate.code}/")
    assert response.status_code == 404 and "未找到" in response.content.decode()
    assert AuditEvent.objects.filter(action="final.certificate_revoke", reason="异议成立").exists()


@pytest.mark.parametrize(("score_min", "accepted"), [(0, True), (1, False)])
def test_sheet_scale_is_the_editions_setting(
    session, finalist_factory, units, judge, roles, score_min, accepted
):
    """One scale (editions.scale) for the online review and the final: 0 is a score only
    when the edition's scale starts at 0."""
    edition = session.event.edition
    edition.settings = {**edition.settings, "score_min": score_min}
    edition.save(update_fields=["settings"])
    work = finalist_factory(school=units["hd_school"])
    services.session_add_participant(session=session, work=work, actor=roles["committee"])
    services.session_add_judge(session=session, judge=judge, actor=roles["committee"])
    if accepted:
        score, _status = _score(judge, session, work, ScoreKind.PRESENTATION, 0)
        assert score.total == 0
    else:
        with pytest.raises(DomainError) as err:
            _score(judge, session, work, ScoreKind.PRESENTATION, 0)
        assert str(err.value) == "每项评分须在 1 到 10 之间。"
