import csv
import io

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError, InternalError
from openpyxl import load_workbook

from gongchuang.accounts.privacy import audit_personal_data_view
from gongchuang.common.audit import audit_record
from gongchuang.common.models import AppendOnlyError, AuditEvent
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.services import transition_work
from tests.conftest import PASSWORD
from tests.factories.works import submitted_work

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database triggers exist on PostgreSQL only"
)


def _login(client, user):
    client.force_login(user, backend="gongchuang.accounts.backends.UsernameEmailMobileBackend")


@pytest.mark.django_db
def test_orm_cannot_update_or_delete_an_audit_event(roles):
    event = audit_record(actor=roles["committee"], action="test.thing")
    event.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE common_auditevent SET reason = 'tampered' WHERE id = %s",
        "DELETE FROM common_auditevent WHERE id = %s",
    ],
)
def test_raw_sql_cannot_update_or_delete_an_audit_event_on_postgres(roles, sql):
    event = audit_record(actor=roles["committee"], action="test.thing")
    with pytest.raises((InternalError, DatabaseError), match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.postgres
@on_postgres
@pytest.mark.django_db
def test_raw_sql_cannot_truncate_audit_events_on_postgres(roles):
    audit_record(actor=roles["committee"], action="test.thing")
    with pytest.raises((InternalError, DatabaseError), match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            # The suite disables this trigger so that test flushes work (tests/conftest.py).
            cursor.execute(
                "ALTER TABLE common_auditevent ENABLE TRIGGER common_auditevent_no_truncate"
            )
            cursor.execute("TRUNCATE common_auditevent")
    assert AuditEvent.objects.filter(action="test.thing").count() == 1


@pytest.mark.django_db(transaction=True)
def test_work_state_change_and_recommendation_are_audited(roles, edition):
    work = submitted_work(edition, roles["student"])
    transition_work(work, WorkState.RECOMMENDED, actor=roles["organizer"], reason="优秀")

    events = list(AuditEvent.objects.for_object(work).order_by("id"))
    assert [(e.action, e.before, e.after, e.actor_id) for e in events] == [
        ("work.transition", {"state": "draft"}, {"state": "submitted"}, roles["student"].pk),
        (
            "work.transition",
            {"state": "submitted"},
            {"state": "recommended"},
            roles["organizer"].pk,
        ),
    ]
    assert events[1].reason == "优秀"
    assert events[1].actor_label == "海淀组织员"


@pytest.mark.django_db
def test_audit_log_is_committee_only(client, roles):
    for name in ("student", "teacher", "coordinator", "organizer", "expert"):
        _login(client, roles[name])
        assert client.get("/audit/").status_code == 403
    client.logout()
    assert client.get("/audit/").status_code == 302


@pytest.mark.django_db
def test_audit_log_filters_by_actor_action_object_and_date(client, roles):
    committee, organizer = roles["committee"], roles["organizer"]
    audit_record(actor=organizer, action="screening.recommend", obj=roles["student"])
    audit_record(actor=committee, action="edition.settings", reason="改截止日期")
    _login(client, committee)

    page = client.get("/audit/", {"actor": "海淀组织员"}).context["page_obj"]
    assert [e.action for e in page] == ["screening.recommend"]
    page = client.get("/audit/", {"action": "edition.settings"}).context["page_obj"]
    assert [e.reason for e in page] == ["改截止日期"]
    page = client.get("/audit/", {"obj": "李明", "action": "screening"}).context["page_obj"]
    assert [e.actor_label for e in page] == ["海淀组织员"]
    page = client.get("/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}).context[
        "page_obj"
    ]
    assert list(page) == []
    response = client.get("/audit/", {"action": "nothing-like-this"})
    assert "没有符合条件的审计记录" in response.content.decode()


@pytest.mark.django_db
def test_audit_log_paginates_with_bounded_queries(client, roles, django_assert_max_num_queries):
    for i in range(120):
        audit_record(
            actor=roles["organizer"], action="bulk.thing", obj=roles["student"], reason=str(i)
        )
    _login(client, roles["committee"])
    # +2 for the staff menu (its state, and the current edition: kept per process outside tests)
    with django_assert_max_num_queries(14):
        response = client.get("/audit/", {"action": "bulk", "page": 2})
    page = response.context["page_obj"]
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (2, 3, 50)
    assert "action=bulk" in response.content.decode()


@pytest.mark.django_db
def test_audit_log_past_the_count_bound_says_more_than_and_pages_on(client, roles):
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(actor=roles["organizer"], actor_label="区组织者", action="bulk.thing")
            for _ in range(1050)
        ]
    )
    _login(client, roles["committee"])
    response = client.get("/audit/", {"page": 2})
    html = response.content.decode()
    page = response.context["page_obj"]
    assert (page.number, len(page.object_list), page.paginator.more_than) == (2, 50, 20)
    assert "超过 1000 条记录" in html
    assert "第 2 页，共 20 页以上" in html
    assert 'href="?page=3" rel="next">下一页</a>' in html


@pytest.mark.django_db
def test_export_csv_and_xlsx_contain_the_filtered_rows_and_are_audited(client, roles):
    audit_record(actor=roles["organizer"], action="screening.recommend", reason="推荐理由")
    _login(client, roles["committee"])

    response = client.get("/audit/", {"action": "screening", "export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "操作人", "操作"]
    assert [(r[1], r[2], r[8]) for r in rows[1:]] == [
        ("海淀组织员", "screening.recommend", "推荐理由")
    ]

    response = client.get("/audit/", {"action": "screening", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][2] == "screening.recommend"
    assert len(values) == 2

    exports = AuditEvent.objects.filter(action="audit.export").order_by("id")
    assert [(e.after["format"], e.after["filters"]) for e in exports] == [
        ("csv", {"action": "screening"}),
        ("xlsx", {"action": "screening"}),
    ]
    assert exports[0].actor_id == roles["committee"].pk


@pytest.mark.django_db
def test_personal_data_view_helper_records_staff_views_not_self_views(roles):
    student = roles["student"]
    audit_personal_data_view(actor=roles["organizer"], subject=student, what="student lookup")
    audit_personal_data_view(actor=student, subject=student)
    events = list(AuditEvent.objects.filter(action="privacy.view"))
    assert [(e.actor_id, e.object_id, e.reason) for e in events] == [
        (roles["organizer"].pk, str(student.pk), "student lookup")
    ]


@pytest.mark.django_db
def test_login_and_failed_login_are_audited_with_ip(client, roles):
    client.post(
        "/accounts/login/",
        {"username": "student_a", "password": "wrong-one1"},
        REMOTE_ADDR="10.1.2.3",
    )
    client.post(
        "/accounts/login/", {"username": "student_a", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert (failed.after, failed.ip) == ({"login": "student_a"}, "10.1.2.3")
    assert AuditEvent.objects.get(action="auth.login").actor_id == roles["student"].pk


@pytest.mark.django_db
def test_submitted_expert_score_is_audited_with_scores(roles, units, edition):
    from gongchuang.judging import services as judging
    from tests.factories.works import qualified_work, rubric_values
    from tests.judging.helpers import expert

    committee = roles["committee"]
    work = qualified_work(edition, units["hd_school"], committee=committee, real_name="赵评分")
    reviewer = expert(committee=committee)
    jury = judging.jury_create(
        edition=edition, category=work.category, members=[reviewer], actor=committee
    )
    assignment = judging.assignment_add(jury=jury, work=work, expert=reviewer, actor=committee)

    review = judging.review_save(
        assignment=assignment, scores=rubric_values(work, 8), submit=True, actor=reviewer
    )

    event = AuditEvent.objects.get(action="review.submit")
    assert (event.actor_id, event.object_id) == (reviewer.pk, str(review.pk))
    assert event.after["scores"] == rubric_values(work, 8)
    assert event.after["total"] == review.total
