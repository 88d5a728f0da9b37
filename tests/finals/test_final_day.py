"""The final day: live board of missing sheets, reminders, current presenter, projector
links and state, check-in by a scanned link (issue 19 item 4)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gongchuang.accounts.enums import Role
from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.demo.finals import score_sheets
from gongchuang.finals import live, services
from gongchuang.finals.models import FinalEvent, OnsiteTask, SessionJudge
from gongchuang.finals.services.attendance import code_from_scan
from gongchuang.notifications.models import Notification
from tests.factories import people
from tests.finals.conftest import publish_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(session, finalist_factory, units, judge, roles):
    """Two finalists, two judges: ``judge`` has scored the first work only, ``other`` nothing."""
    committee = roles["committee"]
    works = [finalist_factory(school=units["hd_school"], title=f"现场作品{i}") for i in (1, 2)]
    for work in works:
        services.session_add_participant(session=session, work=work, actor=committee)
    other = people.staff(Role.EXPERT, username="judge_two", unit=units["cy"], real_name="赵评委")
    services.session_add_judge(session=session, judge=judge, actor=committee)
    services.session_add_judge(session=session, judge=other, actor=committee)
    score_sheets(judge, session, works[0], presentation=8, task=7, key="day")
    return {"session": session, "works": works, "judge": judge, "other": other, "c": committee}


def _judge_row(rows, judge):
    return next(r for r in rows if r["judge"] == judge)


def test_missing_sheets_per_judge_list_each_unfilled_sheet(day):
    rows = live.missing_sheets(day["session"])
    first = _judge_row(rows, day["judge"])
    assert (first["done"], first["total"]) == (2, 4)
    assert [(m["participant"].work, m["kind"]) for m in first["missing"]] == [
        (day["works"][1], "presentation"),
        (day["works"][1], "task"),
    ]
    assert len(_judge_row(rows, day["other"])["missing"]) == 4
    board = live.board(day["session"].event)
    assert [b["missing"] for b in board] == [6]


def test_a_complete_sheet_clears_it_from_the_board(day):
    score_sheets(day["judge"], day["session"], day["works"][1], presentation=6, task=6, key="d")
    row = _judge_row(live.missing_sheets(day["session"]), day["judge"])
    assert (row["missing"], row["done"]) == ([], 4)


def test_remind_notifies_the_judge_is_audited_and_rate_limited(day):
    link = SessionJudge.objects.get(session=day["session"], judge=day["other"])
    now = timezone.now()
    count = services.judge_remind(session=day["session"], judge_link=link, actor=day["c"], now=now)
    assert count == 4
    note = Notification.objects.get(recipient=day["other"], kind="final.score_reminder")
    assert "4 份评分表" in note.body and day["session"].title in note.body
    assert note.url == reverse("finals:judge_session", args=[day["session"].pk])
    assert AuditEvent.objects.filter(action="final.judge_remind").count() == 1
    # Again within five minutes: refused, nothing sent, nothing audited.
    with pytest.raises(DomainError) as err:
        services.judge_remind(
            session=day["session"],
            judge_link=link,
            actor=day["c"],
            now=now + datetime.timedelta(minutes=4, seconds=59),
        )
    assert err.value.code == "too_soon"
    assert Notification.objects.filter(kind="final.score_reminder").count() == 1
    assert AuditEvent.objects.filter(action="final.judge_remind").count() == 1
    # After the interval it goes through again.
    services.judge_remind(
        session=day["session"],
        judge_link=link,
        actor=day["c"],
        now=now + datetime.timedelta(minutes=5),
    )
    assert Notification.objects.filter(kind="final.score_reminder").count() == 2


def test_remind_refused_when_everything_is_scored_or_for_a_non_committee(day):
    for work in day["works"]:
        score_sheets(day["other"], day["session"], work, presentation=6, task=6, key="o")
    link = SessionJudge.objects.get(session=day["session"], judge=day["other"])
    with pytest.raises(DomainError) as err:
        services.judge_remind(session=day["session"], judge_link=link, actor=day["c"])
    assert err.value.code == "complete"
    with pytest.raises(DomainError) as err:
        services.judge_remind(session=day["session"], judge_link=link, actor=day["judge"])
    assert err.value.code == "forbidden"
    assert not Notification.objects.filter(kind="final.score_reminder").exists()


def test_advance_presenter_in_running_order_and_audit(day):
    session = day["session"]
    session = services.session_advance(session=session, actor=day["c"])
    first, second = session.participants.order_by("order")
    assert session.current_participant == first
    session = services.session_advance(session=session, actor=day["c"])
    assert session.current_participant == second
    session = services.session_advance(session=session, actor=day["c"])
    assert session.current_participant is None
    assert AuditEvent.objects.filter(action="final.current_presenter").count() == 3
    with pytest.raises(DomainError):
        services.session_set_current(session=session, participant=first, actor=day["judge"])


def test_screen_token_regenerate_and_revoke(day):
    event = day["session"].event
    event = services.screen_token_regenerate(event=event, actor=day["c"])
    first = event.screen_token
    assert len(first) >= 32
    assert live.event_for_screen_token(first) == event
    event = services.screen_token_regenerate(event=event, actor=day["c"])
    assert event.screen_token != first
    assert live.event_for_screen_token(first) is None
    services.screen_token_revoke(event=event, actor=day["c"])
    assert FinalEvent.objects.get(pk=event.pk).screen_token is None
    assert live.event_for_screen_token("") is None
    assert AuditEvent.objects.filter(action="final.screen_link").count() == 3
    # The secret is never written to the audit trail.
    assert not AuditEvent.objects.filter(after__icontains=first).exists()


def test_screen_state_counts_down_from_the_server_deadline(day):
    session = day["session"]
    task = OnsiteTask.objects.create(
        session=session, title="现场任务", statement="……", time_limit_minutes=60
    )
    state = live.screen_state(session)
    assert (state["task"], state["deadline"], state["remaining"]) == (task, None, "")
    now = timezone.now()
    OnsiteTask.objects.filter(pk=task.pk).update(released_at=now - datetime.timedelta(minutes=50))
    state = live.screen_state(session, now=now)
    assert state["remaining"] == "10:00"
    assert state["deadline_ms"] - state["now_ms"] == 600_000
    assert not state["task_over"]
    assert live.format_remaining(datetime.timedelta(hours=1, seconds=5)) == "1:00:05"


def test_screen_reveals_awards_only_after_publication(client, day):
    session, c = day["session"], day["c"]
    for work in day["works"]:
        for judge in (day["judge"], day["other"]):
            score_sheets(judge, session, work, presentation=9, task=9, key=f"all{judge.pk}")
    services.results_compute(event=session.event, actor=c)
    assert live.screen_state(session)["awards"] == []
    event = services.results_lock(event=session.event, actor=c)
    publish_results(event, c)
    session.refresh_from_db()
    awards = live.screen_state(session)["awards"]
    assert {a["work"] for a in awards} == set(day["works"])
    event = services.screen_token_regenerate(event=session.event, actor=c)
    html = client.get(reverse("finals:screen", args=[event.screen_token, session.pk]))
    assert html.content.decode().count('data-testid="screen-award"') == 2


def test_code_from_scan_reads_a_code_or_the_qr_link():
    assert code_from_scan(" abcd2345 ") == "ABCD2345"
    assert code_from_scan("https://x.example/final/manage/checkin/?code=ab2C") == "AB2C"
    assert code_from_scan("https://x.example/other/") == ""


def test_checkin_by_scanned_link_is_idempotent_and_audited_once(day):
    work = day["works"][0]
    code = work.final_attendances.get().checkin_code
    link = f"http://testserver/final/manage/checkin/?code={code}"
    row = services.checkin_by_code(event=day["session"].event, code=link, actor=day["c"])
    assert row.checked_in_at is not None and not row.already_checked_in
    again = services.checkin_by_code(event=day["session"].event, code=code, actor=day["c"])
    assert again.already_checked_in and again.checked_in_at == row.checked_in_at
    assert AuditEvent.objects.filter(action="final.checkin").count() == 1


# --- views ------------------------------------------------------------------------------


def test_board_page_and_fragment_show_missing_sheets(client, day):
    client.force_login(day["c"])
    page = client.get(reverse("finals:board"))
    assert page.status_code == 200
    assert b'hx-trigger="every 4s"' in page.content
    body = client.get(reverse("finals:board_live")).content.decode()
    assert body.count('data-testid="missing-sheet"') == 6
    assert "现场作品2" in body


def test_board_remind_view_and_rate_limit_message(client, day):
    client.force_login(day["c"])
    url = reverse("finals:judge_remind", args=[day["session"].pk, day["other"].pk])
    response = client.post(url, follow=True)
    assert "已提醒 赵评委：还有 4 份评分表未填写。" in response.content.decode()
    assert Notification.objects.filter(kind="final.score_reminder").count() == 1
    again = client.post(url, follow=True).content.decode()
    assert "已于" in again and "催办过该评委" in again
    assert Notification.objects.filter(kind="final.score_reminder").count() == 1
    # The board says when the judge may be reminded again (no button meanwhile).
    body = client.get(reverse("finals:board_live")).content.decode()
    assert "已催办" in body


def test_screen_needs_a_valid_token_and_shows_no_names(client, day):
    session = day["session"]
    url = reverse("finals:screen", args=["not-the-token", session.pk])
    assert client.get(url).status_code == 404
    event = services.screen_token_regenerate(event=session.event, actor=day["c"])
    services.session_advance(session=session, actor=day["c"])
    response = client.get(reverse("finals:screen", args=[event.screen_token, session.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "现场作品1" in html and 'data-testid="screen-current"' in html
    for work in day["works"]:
        author = work.authorships.get().user
        assert author.real_name not in html
    assert day["judge"].real_name not in html
    live_url = reverse("finals:screen_live", args=[event.screen_token, session.pk])
    assert client.get(live_url).status_code == 200
    services.screen_token_revoke(event=event, actor=day["c"])
    assert client.get(live_url).status_code == 404


def test_checkin_page_loads_the_scanner_from_npm_vendor(client, day):
    client.force_login(day["c"])
    html = client.get(reverse("finals:checkin")).content.decode()
    assert "/static/vendor/jsqr/jsQR.js" in html
    assert "/static/finals/checkin.js" in html


def test_board_queries_do_not_grow_with_judges_or_works(client, day, units, finalist_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(day["c"])
    url = reverse("finals:board_live")
    client.get(url)  # the first request also loads the session and the user's roles
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(3):
        judge = people.staff(Role.EXPERT, unit=units["cy"], real_name=f"加评委{i}")
        services.session_add_judge(session=day["session"], judge=judge, actor=day["c"])
        work = finalist_factory(school=units["hd_school"], title=f"加作品{i}")
        services.session_add_participant(session=day["session"], work=work, actor=day["c"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
