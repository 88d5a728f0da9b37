"""Views: permissions (other units → 404/403), sync, service worker, pages, query counts."""

import json
import uuid
import zipfile

import pytest
from django.urls import reverse

from gongchuang.accounts.enums import Role
from gongchuang.finals import services
from gongchuang.finals.enums import BatchStatus, ScoreKind
from gongchuang.finals.models import Certificate, CertificateBatch, Score
from tests.factories import people
from tests.finals.conftest import confirm_award_list, publish_results

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def _full(work, value):
    return {str(d.pk): value for d in work.category.rubric.all()}


@pytest.fixture
def scored(session, finalist_factory, units, judge, roles):
    committee = roles["committee"]
    hd = finalist_factory(school=units["hd_school"], title="海淀作品")
    cy = finalist_factory(school=units["cy_school"], title="朝阳作品")
    judge_hd = people.staff(Role.EXPERT, username="judge_x", real_name="独立评委")
    services.session_add_participant(session=session, work=hd, actor=committee)
    services.session_add_participant(session=session, work=cy, actor=committee)
    services.session_add_judge(session=session, judge=judge_hd, actor=committee)
    for work in (hd, cy):
        for kind in (ScoreKind.PRESENTATION, ScoreKind.TASK):
            services.score_save(
                judge=judge_hd,
                session=session,
                work=work,
                kind=kind,
                values=_full(work, 8 if work is hd else 6),
                client_uuid=uuid.uuid4(),
            )
    return {"hd": hd, "cy": cy, "judge": judge_hd, "session": session}


def _publish(event, committee):
    services.results_compute(event=event, actor=committee)
    event = services.results_lock(event=event, actor=committee)
    return publish_results(event, committee)


def test_sync_endpoint_requires_login_and_valid_json(client, scored):
    url = reverse("finals:judge_sync")
    assert client.post(url, "{}", content_type="application/json").status_code == 403
    _login(client, scored["judge"])
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    work, session = scored["hd"], scored["session"]
    uid = str(Score.objects.get(work=work, kind="presentation").client_uuid)
    item = {
        "client_uuid": uid,
        "session": session.pk,
        "work": work.pk,
        "kind": "presentation",
        "values": _full(work, 9),
        "rev": 10**13,
    }
    response = client.post(
        url, json.dumps({"items": [item, item]}), content_type="application/json"
    )
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["updated", "unchanged"]
    assert Score.objects.filter(work=work, kind="presentation").count() == 1


def test_sync_refuses_judge_of_other_session(client, scored, roles):
    _login(client, roles["expert"])
    work, session = scored["hd"], scored["session"]
    item = {
        "client_uuid": str(uuid.uuid4()),
        "session": session.pk,
        "work": work.pk,
        "kind": "presentation",
        "values": _full(work, 9),
        "rev": 1,
    }
    response = client.post(
        reverse("finals:judge_sync"), json.dumps({"items": [item]}), content_type="application/json"
    )
    assert response.json()["results"][0]["status"] == "error"
    assert response.json()["results"][0]["message"] == "您不是该场次的评委。"


def test_judge_session_page_only_for_its_judges(client, scored, roles):
    url = reverse("finals:judge_session", args=[scored["session"].pk])
    _login(client, roles["expert"])
    assert client.get(url).status_code == 404
    client.logout()
    _login(client, scored["judge"])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "海淀作品" in body and "展示答辩评分" in body and "现场任务评分" in body
    assert "<script>" not in body  # CSP: no inline scripts


def test_judge_sees_task_result_and_downloads_file_only_if_on_session(client, scored, roles):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongchuang.finals.models import OnsiteTask

    task = OnsiteTask.objects.create(session=scored["session"], title="现场任务", statement="任务")
    task = services.task_release(task=task, actor=roles["committee"])
    author = scored["hd"].authorships.get().user
    sub = services.task_submit(
        task=task,
        work=scored["hd"],
        user=author,
        text="我的成果说明",
        file=SimpleUploadedFile("poster.png", _png()),
    )
    _login(client, scored["judge"])
    body = client.get(reverse("finals:judge_session", args=[scored["session"].pk])).content.decode()
    assert "我的成果说明" in body and "下载提交的文件" in body
    url = reverse("finals:judge_submission_file", args=[sub.pk])
    assert client.get(url).status_code == 200
    client.logout()
    _login(client, roles["expert"])
    assert client.get(url).status_code == 404


def test_service_worker_scope_headers(client):
    response = client.get(reverse("finals:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/final/judge/"
    assert "/static/finals/judge.js" in response.content.decode()


@pytest.mark.parametrize("name", ["manage_home", "results_review", "schedule", "checkin"])
def test_committee_pages_forbidden_to_others(client, event, roles, name):
    for role in ("student", "organizer", "expert"):
        _login(client, roles[role])
        assert client.get(reverse(f"finals:{name}")).status_code == 403
        client.logout()
    _login(client, roles["committee"])
    assert client.get(reverse(f"finals:{name}")).status_code == 200


def test_results_review_page_lists_groups_and_unfinished(client, scored, roles, judge):
    committee = roles["committee"]
    services.results_compute(event=scored["session"].event, actor=committee)
    _login(client, committee)
    body = client.get(reverse("finals:results_review")).content.decode()
    assert "AI 艺术创作 · 初中" in body or "初中" in body
    assert "五星作品" in body
    assert "海淀作品" in body


def test_results_actions_through_the_page(client, scored, roles):
    _login(client, roles["committee"])
    url = reverse("finals:results_review")
    client.post(url, {"action": "compute"})
    client.post(url, {"action": "lock"})
    response = client.post(url, {"action": "unlock", "reason": ""}, follow=True)
    assert "请填写解锁成绩的原因。" in response.content.decode()
    response = client.post(url, {"action": "publish"}, follow=True)
    assert "请先发布获奖名单公示，然后才能发布成绩。" in response.content.decode()
    assert Certificate.objects.count() == 0
    confirm_award_list(scored["session"].event)
    response = client.post(url, {"action": "publish"}, follow=True)
    assert "成绩已发布。" in response.content.decode()
    assert Certificate.objects.count() == 2


def test_session_page_refuses_conflicted_judge_with_chinese_message(client, scored, roles, units):
    hd_expert = people.staff(
        Role.EXPERT, username="hd_judge", unit=units["hd"], real_name="海淀评委"
    )
    _login(client, roles["committee"])
    url = reverse("finals:manage_session", args=[scored["session"].pk])
    response = client.post(url, {"action": "judge", "judge-judge": hd_expert.pk})
    assert "存在利益冲突" in response.content.decode()
    assert not scored["session"].judge_links.filter(judge=hd_expert).exists()


def test_signin_sheet_lists_finalists(client, scored, roles):
    _login(client, roles["committee"])
    body = client.get(reverse("finals:signin_sheet", args=[scored["session"].pk])).content.decode()
    assert "签到表" in body and "海淀作品" in body and "朝阳作品" in body


def test_checkin_page_with_code(client, scored, roles):
    code = scored["hd"].final_attendances.get().checkin_code
    _login(client, roles["committee"])
    response = client.post(reverse("finals:checkin"), {"code": code}, follow=True)
    assert "已签到" in response.content.decode()
    response = client.post(reverse("finals:checkin"), {"code": "WRONG"})
    assert "没有与该签到码对应的入围作品。" in response.content.decode()


def test_finalist_page_attendance_and_qr(client, scored, roles):
    author = scored["hd"].authorships.get().user
    _login(client, author)
    response = client.post(
        reverse("finals:attendance", args=[scored["hd"].pk]), {"attend": "yes"}, follow=True
    )
    assert "已确认参加终评。" in response.content.decode()
    qr = client.get(reverse("finals:checkin_qr", args=[scored["hd"].pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    # someone else's work: 404
    assert client.get(reverse("finals:checkin_qr", args=[scored["cy"].pk])).status_code == 404
    assert (
        client.post(
            reverse("finals:attendance", args=[scored["cy"].pk]), {"attend": "no"}
        ).status_code
        == 404
    )


def test_dashboard_panels(client, scored, roles):
    _login(client, scored["hd"].authorships.get().user)
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert "线下终评" in body and "海淀作品" in body
    client.logout()
    _login(client, scored["judge"])
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert "决赛评分" in body and scored["session"].title in body


def test_certificate_zip_per_unit_organizer_sees_own_unit_only(
    client, scored, roles, django_capture_on_commit_callbacks
):
    _publish(scored["session"].event, roles["committee"])
    _login(client, roles["organizer_cy"])
    page = client.get(reverse("finals:certificates")).content.decode()
    assert "朝阳作品" in page and "海淀作品" not in page
    response = client.post(
        reverse("finals:certificates"),
        {"unit": roles["organizer"].unit_ids_for(Role.UNIT_ORGANIZER).pop()},
    )
    assert response.status_code == 200  # other unit refused by the form
    assert CertificateBatch.objects.count() == 0
    cy_unit = scored["cy"].unit
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("finals:certificates"), {"unit": cy_unit.pk})
    batch = CertificateBatch.objects.get()
    assert (batch.status, batch.total, batch.done) == (BatchStatus.DONE, 1, 1)
    response = client.get(reverse("finals:batch_download", args=[batch.pk]))
    import io

    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert len(names) == 1 and scored["cy"].code in names[0]
    # the HD organizer cannot open the CY batch
    client.logout()
    _login(client, roles["organizer"])
    assert client.get(reverse("finals:batch_download", args=[batch.pk])).status_code == 404
    assert client.get(reverse("finals:certificates")).status_code == 200
    # a certificate PDF of another unit: 404
    cert = Certificate.objects.get(work=scored["cy"])
    assert client.get(reverse("finals:certificate_pdf", args=[cert.code])).status_code == 404


def test_certificate_pdf_download_by_owner(client, scored, roles):
    _publish(scored["session"].event, roles["committee"])
    cert = Certificate.objects.get(work=scored["hd"])
    _login(client, cert.user)
    response = client.get(reverse("finals:certificate_pdf", args=[cert.code]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    body = client.get(reverse("finals:my_final")).content.decode()
    assert "五星作品" in body and "下载证书" in body


def test_verify_page_not_found_and_adult_name_shown(client, scored, roles, units, session):
    _publish(scored["session"].event, roles["committee"])
    response = client.get(reverse("finals:verify", args=["NOPE1234"]))
    assert response.status_code == 404 and "未找到" in response.content.decode()
    cert = Certificate.objects.get(work=scored["hd"])
    body = client.get(reverse("finals:verify", args=[cert.code])).content.decode()
    assert cert.user.real_name not in body  # student under 18: masked
    assert cert.user.real_name[0] + "*" in body
    assert "五星作品" in body or "四星作品" in body


def test_public_results_only_after_publication(client, scored, roles):
    assert "终评结果尚未发布。" in client.get(reverse("finals:results")).content.decode()
    _publish(scored["session"].event, roles["committee"])
    body = client.get(reverse("finals:results")).content.decode()
    assert "海淀作品" in body and "五星作品" in body


def test_list_pages_query_counts_bounded(
    client, session, finalist_factory, units, roles, django_assert_max_num_queries
):
    committee = roles["committee"]
    judge = people.staff(Role.EXPERT, username="judge_q", real_name="评委")
    services.session_add_judge(session=session, judge=judge, actor=committee)
    for i in range(8):
        work = finalist_factory(school=units["hd_school"] if i % 2 else units["cy_school"])
        services.session_add_participant(session=session, work=work, actor=committee)
    services.results_compute(event=session.event, actor=committee)
    _login(client, judge)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("finals:judge_session", args=[session.pk])).status_code == 200
    client.logout()
    _login(client, committee)
    for name in ("results_review", "schedule", "manage_home"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(f"finals:{name}")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("finals:signin_sheet", args=[session.pk])).status_code == 200
    event = services.results_lock(event=session.event, actor=committee)
    publish_results(event, committee)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("finals:certificates")).status_code == 200
    client.logout()
    advisor = people.teacher(units["hd_school"], real_name="多作品教师")
    from gongchuang.submissions.models import Authorship

    for work in session.participants.all()[:5]:
        Authorship.objects.create(
            work=work.work, edition=work.work.edition, user=advisor, role="advisor", order=1
        )
    _login(client, advisor)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("finals:my_final")).status_code == 200


def test_committee_creates_the_event_and_a_session_through_the_pages(client, edition, roles):
    from gongchuang.finals.models import FinalEvent

    _login(client, roles["committee"])
    response = client.get(reverse("finals:manage_home"))
    assert "创建终评活动" in response.content.decode()
    bad = client.post(reverse("finals:manage_home"), {"name": "", "venue": ""})
    assert "这个字段是必填项。" in bad.content.decode()
    client.post(
        reverse("finals:manage_home"),
        {"name": "终评", "starts_on": "2026-07-10", "ends_on": "2026-07-11", "venue": "科学中心"},
    )
    event = FinalEvent.objects.get(edition=edition)
    response = client.post(
        reverse("finals:session_create"),
        {
            "kind": "public_display",
            "title": "公众展示",
            "room": "展厅",
            "starts_at": "2026-07-10T09:00",
            "ends_at": "2026-07-10T08:00",
        },
        follow=True,
    )
    assert "场次的结束时间必须晚于开始时间。" in response.content.decode()
    assert event.sessions.count() == 0


def test_task_submission_refuses_a_disguised_file(client, scored, roles):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongchuang.finals.models import OnsiteTask

    task = OnsiteTask.objects.create(session=scored["session"], title="现场任务", statement="任务")
    services.task_release(task=task, actor=roles["committee"])
    _login(client, scored["hd"].authorships.get().user)
    url = reverse("finals:task_detail", args=[scored["hd"].pk, task.pk])
    bad = SimpleUploadedFile("poster.png", b"<html><script>alert(1)</script></html>")
    response = client.post(url, {"text": "", "file": bad})
    assert response.status_code == 200
    assert not task.submissions.exists()
    assert 'class="error"' in response.content.decode()
    good = SimpleUploadedFile("poster.png", _png())
    response = client.post(url, {"text": "海报", "file": good}, follow=True)
    assert "您的结果已提交。" in response.content.decode()
    assert task.submissions.get().file_name == "poster.png"


def test_manage_home_gives_every_figure_its_unit(client, scored, roles):
    _login(client, roles["committee"])
    body = client.get(reverse("finals:manage_home")).content.decode()
    # The programme: 2 finalist works and 1 judge in the session, with their units.
    row = body[body.index(scored["session"].title) :]
    row = row[: row.index("</tr>")]
    assert "<td>2 件</td><td>1 位</td>" in row
    assert '<p class="stat">0 件</p>' in body  # none withdrawn: a count of works, not a bare 0
