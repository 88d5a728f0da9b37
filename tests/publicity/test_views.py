import datetime

import pytest
from django.utils import timezone

from gongchuang.publicity.models import Objection, PublicityList
from gongchuang.publicity.services import objection_file, objection_request_statement
from gongchuang.submissions.enums import WorkState
from tests.factories import people

from .helpers import REASON, finalist, pdf_upload, published

BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"
pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(roles, edition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        work = finalist(edition, roles["student"], roles["committee"])
        publicity = published(edition, [work], roles["committee"])
    return publicity, publicity.entries.get()


def _as(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def test_anonymous_visitor_sees_list_with_masked_names(client, listed):
    publicity, entry = listed
    html = client.get(f"/publicity/{publicity.pk}/").content.decode()
    assert entry.work.code in html
    assert "李*" in html and "李明" not in html
    assert "提出异议" in html
    assert publicity.title in client.get("/publicity/").content.decode()


def test_publicity_list_labels_works_with_ai_content(client, listed):
    publicity, entry = listed
    assert "含AI生成内容" not in client.get(f"/publicity/{publicity.pk}/").content.decode()
    entry.work.ai_tool_list = ["keling"]
    entry.work.save()
    html = client.get(f"/publicity/{publicity.pk}/").content.decode()
    assert '<span class="ai-label-badge">含AI生成内容</span>' in html
    assert "（可灵）" in html


def test_list_detail_queries_are_bounded(client, roles, edition, django_assert_max_num_queries):
    school = people.units_and_schools()["hd_school"]
    works = [
        finalist(edition, people.student(school, real_name=f"学生{i}"), roles["committee"])
        for i in range(6)
    ]
    publicity = published(edition, works, roles["committee"])
    with django_assert_max_num_queries(8):
        response = client.get(f"/publicity/{publicity.pk}/")
    assert len(response.context["rows"]) == 6


def test_objection_form_requires_login_and_files_with_pdf(client, roles, listed):
    publicity, entry = listed
    url = f"/publicity/{publicity.pk}/works/{entry.pk}/object/"
    assert client.get(url).status_code == 302
    response = _as(client, roles["teacher"]).post(
        url, {"reason": REASON, "contact": "13700000000", "files": [pdf_upload()]}
    )
    assert response["Location"] == "/publicity/objections/mine/"
    objection = Objection.objects.get()
    assert (objection.objector, objection.evidence.count()) == (roles["teacher"], 1)
    mine = client.get("/publicity/objections/mine/").content.decode()
    assert entry.work.title in mine and "已受理" in mine


def test_short_reason_shows_chinese_error(client, roles, listed):
    publicity, entry = listed
    response = _as(client, roles["teacher"]).post(
        f"/publicity/{publicity.pk}/works/{entry.pk}/object/", {"reason": "太短", "contact": "x"}
    )
    assert "至少" in response.content.decode()
    assert not Objection.objects.exists()


@pytest.mark.parametrize("who", ["student", "teacher", "coordinator", "organizer", "expert"])
def test_committee_pages_refused_to_others(client, roles, listed, who):
    objection = objection_file(
        entry=listed[1],
        objector=roles["student_b"],
        reason=REASON,
        contact="x",
        files=[pdf_upload()],
    )
    _as(client, roles[who])
    for url in (
        "/publicity/manage/",
        "/publicity/manage/objections/",
        f"/publicity/manage/objections/{objection.pk}/",
        f"/publicity/manage/objections/{objection.pk}/evidence/{objection.evidence.get().pk}/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/publicity/manage/{listed[0].pk}/confirm/").status_code == 403


def test_statement_page_only_for_the_asked_party(client, roles, listed):
    objection = objection_file(
        entry=listed[1], objector=roles["student_b"], reason=REASON, contact="x"
    )
    objection_request_statement(
        objection=objection,
        actor=roles["committee"],
        source="unit",
        deadline=timezone.now() + datetime.timedelta(days=2),
    )
    url = f"/publicity/statements/{objection.pk}/"
    assert _as(client, roles["organizer_cy"]).get(url).status_code == 404
    assert _as(client, roles["student"]).get(url).status_code == 404
    page = _as(client, roles["organizer"]).get(url).content.decode()
    assert REASON in page and "张晓光" not in page
    client.post(url, {"text": "经核实，情况属实。"})
    objection.refresh_from_db()
    assert objection.statement == "经核实，情况属实。"


def test_committee_queue_and_decision_through_the_page(
    client, roles, listed, django_assert_max_num_queries
):
    objection = objection_file(
        entry=listed[1], objector=roles["student_b"], reason=REASON, contact="x"
    )
    _as(client, roles["committee"])
    # +4 for the menu: its counts (2) and the current edition (2, kept per process outside tests).
    with django_assert_max_num_queries(14):
        response = client.get("/publicity/manage/objections/")
    assert [o.pk for o in response.context["page_obj"]] == [objection.pk]
    url = f"/publicity/manage/objections/{objection.pk}/"
    client.post(url, {"action": "investigate"})
    client.post(url, {"action": "note", "note-text": "已联系单位"})
    client.post(
        url,
        {
            "action": "decide",
            "decide-upheld": "1",
            "decide-work_state": WorkState.NOT_SELECTED,
            "decide-reason": "经核实，作品存在抄袭。",
        },
    )
    objection.refresh_from_db()
    assert objection.state == "upheld"
    assert [n.text for n in objection.notes.all()] == ["已联系单位"]
    listed[1].work.refresh_from_db()
    assert listed[1].work.state == WorkState.NOT_SELECTED
    html = client.get(f"/publicity/{listed[0].pk}/").content.decode()
    assert listed[1].work.code not in html


def test_confirm_final_page_refuses_with_message_then_allows(client, roles, listed):
    publicity, entry = listed
    objection_file(entry=entry, objector=roles["student_b"], reason=REASON, contact="x")
    PublicityList.objects.filter(pk=publicity.pk).update(
        ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    _as(client, roles["committee"])
    response = client.post(f"/publicity/manage/{publicity.pk}/confirm/", follow=True)
    assert "还有 1 条异议尚未处理完毕" in response.content.decode()
    publicity.refresh_from_db()
    assert publicity.final_at is None
