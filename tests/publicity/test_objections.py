import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import Notification
from gongchuang.publicity.enums import ObjectionState
from gongchuang.publicity.models import PublicHoliday
from gongchuang.publicity.services import (
    objection_decide,
    objection_file,
    objection_give_statement,
    objection_request_statement,
    publicity_confirm_final,
    window_end_for,
)
from gongchuang.submissions.enums import WorkState
from tests.factories import people

from .helpers import REASON, finalist, pdf_upload, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(roles, edition):
    work = finalist(edition, roles["student"], roles["committee"], advisor=roles["teacher"])
    publicity = published(edition, [work], roles["committee"])
    return publicity, publicity.entries.get()


def test_window_end_uses_configured_holidays(roles):
    thursday = datetime.datetime(2026, 3, 5, 10, tzinfo=timezone.get_current_timezone())
    assert timezone.localtime(window_end_for(thursday, 5)).date() == datetime.date(2026, 3, 12)
    PublicHoliday.objects.create(date=datetime.date(2026, 3, 9), name="测试假日")
    assert timezone.localtime(window_end_for(thursday, 5)).date() == datetime.date(2026, 3, 13)


def test_objection_with_pdf_evidence_is_received_and_audited(roles, listed):
    _publicity, entry = listed
    objection = objection_file(
        entry=entry,
        objector=roles["student_b"],
        reason=REASON,
        contact="13700000000",
        files=[pdf_upload()],
    )
    assert objection.state == ObjectionState.RECEIVED
    assert [e.original_name for e in objection.evidence.all()] == ["证据.pdf"]
    assert objection.evidence.get().mime == "application/pdf"
    assert AuditEvent.objects.filter(action="objection.file", object_id=str(objection.pk)).exists()


@pytest.mark.parametrize(
    ("reason", "code"), [("太短了", "short_reason"), ("                    x", "short_reason")]
)
def test_short_reason_refused(roles, listed, reason, code):
    with pytest.raises(DomainError) as exc:
        objection_file(entry=listed[1], objector=roles["student_b"], reason=reason, contact="x")
    assert exc.value.code == code


def test_late_objection_refused_with_clear_message(roles, listed):
    publicity, entry = listed
    with pytest.raises(DomainError) as exc:
        objection_file(
            entry=entry,
            objector=roles["student_b"],
            reason=REASON,
            contact="x",
            now=publicity.ends_at + datetime.timedelta(seconds=1),
        )
    assert exc.value.code == "late"
    end = timezone.localtime(publicity.ends_at).strftime("%Y-%m-%d %H:%M")
    assert str(exc.value.message) == f"该名单的公示期已于 {end} 结束，不再受理异议。"


def test_second_objection_by_same_person_refused(roles, listed):
    objection_file(entry=listed[1], objector=roles["student_b"], reason=REASON, contact="x")
    with pytest.raises(DomainError) as exc:
        objection_file(entry=listed[1], objector=roles["student_b"], reason=REASON, contact="x")
    assert exc.value.code == "duplicate"


def test_objection_without_real_name_refused(roles, listed):
    nameless = people.staff("expert", real_name="")
    with pytest.raises(DomainError) as exc:
        objection_file(entry=listed[1], objector=nameless, reason=REASON, contact="x")
    assert exc.value.code == "no_real_name"


def test_disguised_evidence_file_refused(roles, listed):
    fake = SimpleUploadedFile("证据.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(DomainError):
        objection_file(
            entry=listed[1], objector=roles["student_b"], reason=REASON, contact="x", files=[fake]
        )
    assert not listed[1].objections.exists()


def test_upheld_objection_takes_work_off_list_and_notifies_without_naming_objector(
    roles, listed, django_capture_on_commit_callbacks
):
    _publicity, entry = listed
    objection = objection_file(entry=entry, objector=roles["student_b"], reason=REASON, contact="x")
    deadline = timezone.now() + datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        objection = objection_request_statement(
            objection=objection, actor=roles["committee"], source="unit", deadline=deadline
        )
    assert objection.state == ObjectionState.INVESTIGATING
    assert Notification.objects.filter(
        recipient=roles["organizer"], kind="objection.statement_requested"
    ).exists()
    with pytest.raises(DomainError):
        objection_give_statement(objection=objection, actor=roles["organizer_cy"], text="无关")
    objection_give_statement(objection=objection, actor=roles["organizer"], text="经核实确有借用。")

    with django_capture_on_commit_callbacks(execute=True):
        objection_decide(
            objection=objection,
            actor=roles["committee"],
            upheld=True,
            reason="经核实，作品存在抄袭。",
        )

    objection.refresh_from_db()
    entry.refresh_from_db()
    work = entry.work
    assert (objection.state, work.state) == (ObjectionState.UPHELD, WorkState.NOT_SELECTED)
    assert "经核实，作品存在抄袭。" in work.state_reason
    assert entry.removed_at is not None
    outcome = Notification.objects.get(recipient=roles["student_b"], kind="objection.outcome")
    assert "异议成立" in outcome.body
    to_author = Notification.objects.get(recipient=roles["student"], kind="objection.decided")
    for note in Notification.objects.filter(recipient=roles["student"]):
        assert "张晓光" not in note.body and "张晓光" not in note.title
    assert "异议成立" in to_author.body


def test_dismissed_objection_keeps_work_on_list(roles, listed, django_capture_on_commit_callbacks):
    objection = objection_file(
        entry=listed[1], objector=roles["student_b"], reason=REASON, contact="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        objection_decide(
            objection=objection, actor=roles["committee"], upheld=False, reason="证据不足。"
        )
    listed[1].refresh_from_db()
    assert listed[1].removed_at is None
    assert listed[1].work.state == WorkState.FINALIST
    assert "异议不成立" in Notification.objects.get(kind="objection.outcome").body


def test_decided_objection_cannot_be_decided_again(roles, listed):
    objection = objection_file(
        entry=listed[1], objector=roles["student_b"], reason=REASON, contact="x"
    )
    objection_decide(
        objection=objection, actor=roles["committee"], upheld=False, reason="证据不足。"
    )
    with pytest.raises(DomainError):
        objection_decide(objection=objection, actor=roles["committee"], upheld=True, reason="改判")


def test_confirm_final_refused_before_end_and_while_objection_pending(roles, listed):
    publicity, entry = listed
    after_end = publicity.ends_at + datetime.timedelta(minutes=1)
    with pytest.raises(DomainError) as exc:
        publicity_confirm_final(publicity=publicity, actor=roles["committee"])
    assert exc.value.code == "too_early"

    objection = objection_file(entry=entry, objector=roles["student_b"], reason=REASON, contact="x")
    with pytest.raises(DomainError) as exc:
        publicity_confirm_final(publicity=publicity, actor=roles["committee"], now=after_end)
    assert exc.value.code == "pending_objections"

    objection_decide(
        objection=objection, actor=roles["committee"], upheld=False, reason="证据不足。"
    )
    final = publicity_confirm_final(publicity=publicity, actor=roles["committee"], now=after_end)
    assert final.final_at == after_end
    assert AuditEvent.objects.filter(action="publicity.confirm_final").count() == 1


def test_final_works_lists_only_confirmed_lists_without_removed_works(roles, edition):
    from gongchuang.publicity.enums import ListKind
    from gongchuang.publicity.selectors import final_works

    kept = finalist(edition, roles["student"], roles["committee"], title="保留作品")
    removed = finalist(edition, roles["student_b"], roles["committee"], title="被移出作品")
    publicity = published(edition, [kept, removed], roles["committee"])
    objection = objection_file(
        entry=publicity.entries.get(work=removed),
        objector=roles["teacher"],
        reason=REASON,
        contact="x",
    )
    assert list(final_works(edition, ListKind.FINALIST)) == []

    objection_decide(objection=objection, actor=roles["committee"], upheld=True, reason="属实。")
    publicity_confirm_final(
        publicity=publicity,
        actor=roles["committee"],
        now=publicity.ends_at + datetime.timedelta(seconds=1),
    )
    assert list(final_works(edition, ListKind.FINALIST)) == [kept]
