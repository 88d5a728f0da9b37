"""An archived edition's final is read-only; its certificates still verify and still export."""

import datetime
import uuid

import pytest
from django.apps import apps
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.demo.finals import score_sheets
from gongchuang.finals import services
from gongchuang.finals.certificates import render_certificate_pdf
from gongchuang.finals.enums import BatchStatus, ScoreKind, SessionKind
from gongchuang.finals.models import (
    Certificate,
    CertificateBatch,
    FinalEvent,
    FinalistAttendance,
    OnsiteTask,
    Session,
)
from gongchuang.notifications.models import Notification
from gongchuang.submissions.models import Work
from tests.factories.editions import ARCHIVED, archive
from tests.finals.conftest import publish_results

from .test_services import _full

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(edition, session, finalist_factory, units, judge, roles):
    """A final with one scored work, a released task, published results; then archived."""
    committee = roles["committee"]
    work = finalist_factory(school=units["hd_school"], title="海淀作品")
    services.session_add_participant(session=session, work=work, actor=committee)
    services.session_add_judge(session=session, judge=judge, actor=committee)
    score_sheets(judge, session, work, presentation=8, task=8, key="tests")
    task = services.task_create(
        session=session,
        title="现场任务",
        statement="设计一个智能体",
        time_limit_minutes=600,
        actor=committee,
    )
    services.task_release(task=task, actor=committee)
    services.results_compute(event=session.event, actor=committee)
    services.results_lock(event=session.event, actor=committee)
    publish_results(session.event, committee)
    archive(edition, actor=committee)
    return {"edition": edition, "work": work.pk, "task": task.pk, "judge": judge}


def _event(p) -> FinalEvent:
    """The final as a page loads it (with its edition as it is now)."""
    return FinalEvent.objects.select_related("edition").get(edition=p["edition"])


def _session(p) -> Session:
    return Session.objects.select_related("event__edition").get(event__edition=p["edition"])


def _task(p) -> OnsiteTask:
    return OnsiteTask.objects.select_related("session__event__edition").get(pk=p["task"])


def _work(p) -> Work:
    return Work.objects.select_related("edition", "category").get(pk=p["work"])


def _author(p):
    return _work(p).authorships.get().user


def _snapshot(edition) -> dict:
    """Every row of every model of the finals app, the edition's work states, the
    notifications and the audit trail: what a refused write must leave as it was."""
    rows = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("finals").get_models()
    }
    return {
        **rows,
        "states": list(Work.objects.filter(edition=edition).values_list("pk", "state")),
        "notifications": Notification.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


_today = timezone.localdate
WRITES = {
    "event_create": lambda r, p: services.event_create(
        edition=p["edition"],
        name="再来一场",
        starts_on=_today(),
        ends_on=_today(),
        venue="北京",
        actor=r["committee"],
    ),
    "event_update": lambda r, p: services.event_update(
        event=_event(p),
        name="改名",
        ends_on=_today() + datetime.timedelta(days=3),
        actor=r["committee"],
    ),
    "session_create": lambda r, p: services.session_create(
        event=_event(p),
        kind=SessionKind.PRESENTATION,
        title="加场",
        room="B1",
        starts_at=timezone.now(),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
        actor=r["committee"],
    ),
    "add_participant": lambda r, p: services.session_add_participant(
        session=_session(p), work=_work(p), actor=r["committee"]
    ),
    "add_judge": lambda r, p: services.session_add_judge(
        session=_session(p), judge=r["expert"], actor=r["committee"]
    ),
    "attendance": lambda r, p: services.attendance_answer(
        event=_event(p), work=_work(p), user=_author(p), attend=False
    ),
    "checkin": lambda r, p: services.checkin_by_code(
        event=_event(p),
        code=FinalistAttendance.objects.get(work_id=p["work"]).checkin_code,
        actor=r["committee"],
    ),
    "task_create": lambda r, p: services.task_create(
        session=_session(p),
        title="第二题",
        statement="……",
        time_limit_minutes=30,
        actor=r["committee"],
    ),
    "task_release": lambda r, p: services.task_release(task=_task(p), actor=r["committee"]),
    "task_extend": lambda r, p: services.task_extend(
        task=_task(p), work=_work(p), minutes=10, reason="设备故障", actor=r["committee"]
    ),
    "task_submit": lambda r, p: services.task_submit(
        task=_task(p), work=_work(p), user=_author(p), text="答案"
    ),
    "score": lambda r, p: services.score_save(
        judge=p["judge"],
        session=_session(p),
        work=_work(p),
        kind=ScoreKind.PRESENTATION,
        values=_full(_work(p), 3),
        client_uuid=uuid.uuid4(),
        client_rev=9,
    ),
    "compute": lambda r, p: services.results_compute(event=_event(p), actor=r["committee"]),
    "lock": lambda r, p: services.results_lock(event=_event(p), actor=r["committee"]),
    "unlock": lambda r, p: services.results_unlock(
        event=_event(p), actor=r["committee"], reason="复核"
    ),
    "special_award": lambda r, p: services.special_award_create(
        event=_event(p), name="最佳创意奖", work=_work(p), actor=r["committee"]
    ),
    "publish": lambda r, p: services.results_publish(event=_event(p), actor=r["committee"]),
    "judge_remind": lambda r, p: services.judge_remind(
        session=_session(p),
        judge_link=_session(p).judge_links.get(judge=p["judge"]),
        actor=r["committee"],
    ),
    "current_presenter": lambda r, p: services.session_advance(
        session=_session(p), actor=r["committee"]
    ),
    "screen_link": lambda r, p: services.screen_token_regenerate(
        event=_event(p), actor=r["committee"]
    ),
    "screen_link_off": lambda r, p: services.screen_token_revoke(
        event=_event(p), actor=r["committee"]
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_write_on_an_archived_final_is_refused_and_changes_nothing(roles, past, write):
    before = _snapshot(past["edition"])
    with pytest.raises(DomainError) as err:
        WRITES[write](roles, past)
    assert (err.value.code, str(err.value.message)) == ("archived", ARCHIVED)
    assert _snapshot(past["edition"]) == before


def test_score_sync_from_a_phone_reports_the_archive_per_sheet(past):
    work, session = _work(past), _session(past)
    before = _snapshot(past["edition"])
    results = services.scores_sync(
        judge=past["judge"],
        items=[
            {
                "client_uuid": str(uuid.uuid4()),
                "session": session.pk,
                "work": work.pk,
                "kind": ScoreKind.TASK,
                "values": _full(work, 2),
                "rev": 5,
            }
        ],
    )
    assert [(r["status"], r["code"], r["message"]) for r in results] == [
        ("error", "archived", ARCHIVED)
    ]
    assert _snapshot(past["edition"]) == before


def test_archived_certificates_still_verify_render_and_export(
    client, roles, past, django_capture_on_commit_callbacks
):
    certificate = Certificate.objects.select_related("work", "event__edition", "user").get()
    page = client.get(f"/final/verify/{certificate.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert certificate.award in html and certificate.work.title in html
    assert render_certificate_pdf(certificate).startswith(b"%PDF")
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.certificate_batch_start(
            event=_event(past), unit=None, actor=roles["committee"]
        )
    batch = CertificateBatch.objects.get(pk=batch.pk)
    assert (batch.status, batch.total, batch.done) == (BatchStatus.DONE, 1, 1)
