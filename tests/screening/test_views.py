import pytest
from django.urls import reverse

from gongchuang.screening import services
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from . import factories


@pytest.fixture
def hd_work(edition, units):
    return factories.work(edition, unit=units["hd"], school=units["hd_school"], title="海淀的作品")


@pytest.fixture
def cy_work(edition, units):
    return factories.work(edition, unit=units["cy"], school=units["cy_school"], title="朝阳的作品")


def _codes_in_xlsx(data: bytes) -> list[str]:
    import io

    from openpyxl import load_workbook

    rows = load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)
    return [r[0] for r in list(rows)[1:]]


def _login(client, user):
    client.force_login(user)
    return client


def test_queue_lists_own_unit_submitted_works_only(client, roles, edition, units, hd_work, cy_work):
    draft = factories.work(
        edition, unit=units["hd"], school=units["hd_school"], title="草稿作品", submit=False
    )
    response = _login(client, roles["organizer"]).get(reverse("screening:unit_queue"))
    codes = [w.code for w in response.context["page_obj"]]
    assert codes == [hd_work.code]
    assert "朝阳的作品" not in response.text and draft.title not in response.text
    assert "AI 艺术创作 <strong>0/30</strong>" in response.text


def test_queue_filters_search_and_sort(client, roles, edition, units):
    a = factories.work(edition, unit=units["hd"], school=units["hd_school"], title="星空")
    b = factories.work(
        edition, unit=units["hd"], school=units["hd_school2"], title="月亮", category="ai_agent"
    )
    c = factories.work(
        edition, unit=units["hd"], school=units["hd_school"], title="太阳", level="senior"
    )
    services.work_recommend(work=c, actor=roles["organizer"])
    client = _login(client, roles["organizer"])

    def codes(**params):
        return [
            w.code for w in client.get(reverse("screening:unit_queue"), params).context["page_obj"]
        ]

    assert codes(category=b.category_id) == [b.code]
    assert codes(school=units["hd_school2"].pk) == [b.code]
    assert codes(level="senior") == [c.code]
    assert codes(state="recommended") == [c.code]
    assert codes(q="星") == [a.code]
    assert codes(q=a.code) == [a.code]
    assert codes(sort="-code") == sorted([a.code, b.code, c.code], reverse=True)


def test_queue_paginates(client, roles, edition, units):
    for _ in range(27):
        factories.work(edition, unit=units["hd"], school=units["hd_school"])
    response = _login(client, roles["organizer"]).get(reverse("screening:unit_queue"), {"page": 2})
    assert len(response.context["page_obj"]) == 2
    assert "第 2 页" in response.text or "2" in response.context["page_obj"].paginator.page_range


@pytest.mark.parametrize("n", [10, 100])
def test_queue_query_count_is_constant(
    client, roles, edition, units, n, django_assert_max_num_queries
):
    for _ in range(n):
        factories.work(edition, unit=units["hd"], school=units["hd_school"])
    client = _login(client, roles["organizer"])
    client.get(reverse("screening:unit_queue"))  # the first request also saves the session
    # Session, user, memberships, edition, nav/inbox of base.html, then the page's own
    # (count, page, quotas, filter choices): bounded, whatever the number of works.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("screening:unit_queue"))
    assert response.status_code == 200


def test_queue_query_count_same_at_10_and_100(client, roles, edition, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _login(client, roles["organizer"])
    client.get(reverse("screening:unit_queue"))  # the first request also saves the session
    counts = []
    for total in (10, 100):
        while Work.objects.count() < total:
            factories.work(edition, unit=units["hd"], school=units["hd_school"])
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("screening:unit_queue"))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_other_units_work_is_404_everywhere(client, roles, cy_work, edition, units):
    f = factories.attach(
        cy_work,
        slot="artwork",
        data=factories.png_bytes(),
        name="a.png",
        kind="image",
        mime="image/png",
    )
    client = _login(client, roles["organizer"])
    for url in (
        reverse("screening:unit_work", args=[cy_work.pk]),
        reverse("screening:work_file", args=[f.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("screening:unit_work", args=[cy_work.pk]),
        reverse("screening:unit_unrecommend", args=[cy_work.pk]),
    ):
        assert client.post(url, {"decision": "recommend"}).status_code == 404, url
    response = client.post(
        reverse("screening:unit_bulk"), {"decision": "recommend", "works": [cy_work.pk]}
    )
    assert response.status_code == 404
    cy_work.refresh_from_db()
    assert cy_work.state == WorkState.SUBMITTED
    export = client.get(reverse("screening:unit_export"))
    assert _codes_in_xlsx(export.content) == []


def test_draft_of_own_unit_is_404_for_organizer(client, roles, edition, units):
    draft = factories.work(edition, unit=units["hd"], school=units["hd_school"], submit=False)
    assert (
        _login(client, roles["organizer"])
        .get(reverse("screening:unit_work", args=[draft.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("role", ["student", "teacher", "coordinator", "expert"])
def test_people_without_review_role_are_refused(client, roles, role, hd_work):
    client = _login(client, roles[role])
    for name, args in [
        ("unit_queue", []),
        ("unit_work", [hd_work.pk]),
        ("unit_export", []),
        ("city_queue", []),
        ("city_progress", []),
        ("city_export", []),
    ]:
        assert client.get(reverse(f"screening:{name}", args=args)).status_code == 403, name


def test_organizer_cannot_open_city_pages(client, roles):
    client = _login(client, roles["organizer"])
    assert client.get(reverse("screening:city_queue")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("screening:unit_queue"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_file_preview_inline_for_own_unit(client, roles, hd_work):
    f = factories.attach(
        hd_work,
        slot="artwork",
        data=factories.png_bytes(),
        name="画.png",
        kind="image",
        mime="image/png",
    )
    response = _login(client, roles["organizer"]).get(reverse("screening:work_file", args=[f.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_review_page_shows_checklist_hints_and_materials(client, roles, edition, units):
    work = factories.work(
        edition, unit=units["hd"], school=units["hd_school"], originality_pledge=False
    )
    factories.attach(
        work,
        slot="statement",
        data=b"%PDF-1.4\n%%EOF\n",
        name="说明.pdf",
        kind="pdf",
        mime="application/pdf",
    )
    response = _login(client, roles["organizer"]).get(
        reverse("screening:unit_work", args=[work.pk])
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["check_originality"].initial is False
    assert form["check_ai_declaration"].initial is True
    assert "<iframe" in response.text and "说明.pdf" in response.text


def test_review_form_return_composes_reason_from_failed_items(client, roles, hd_work):
    data = {
        "decision": "return",
        "note": "请补充过程记录",
        "check_materials": "",
        "check_eligibility": "on",
        "check_ai_declaration": "on",
        "check_originality": "on",
        "check_content": "on",
    }
    response = _login(client, roles["organizer"]).post(
        reverse("screening:unit_work", args=[hd_work.pk]), data
    )
    assert response.status_code == 302
    hd_work.refresh_from_db()
    assert hd_work.state == "returned"
    assert hd_work.state_reason == "必交材料缺失或无法打开。\n请补充过程记录"


def test_review_form_return_without_reason_shows_error(client, roles, hd_work):
    data = {
        "decision": "return",
        "note": "",
        **{
            f"check_{k}": "on"
            for k in ("materials", "eligibility", "ai_declaration", "originality", "content")
        },
    }
    response = _login(client, roles["organizer"]).post(
        reverse("screening:unit_work", args=[hd_work.pk]), data
    )
    assert response.status_code == 200
    assert "请填写原因，或取消勾选作品未通过的检查项。" in response.text


def test_review_form_quota_full_message(client, roles, edition, units, hd_work):
    art = edition.categories.get(code="ai_art")
    art.unit_quota = 1
    art.save()
    other = factories.work(edition, unit=units["hd"], school=units["hd_school"])
    services.work_recommend(work=other, actor=roles["organizer"])
    data = {
        "decision": "recommend",
        **{
            f"check_{k}": "on"
            for k in ("materials", "eligibility", "ai_declaration", "originality", "content")
        },
    }
    response = _login(client, roles["organizer"]).post(
        reverse("screening:unit_work", args=[hd_work.pk]), data
    )
    assert "本区 AI 艺术创作 推荐名额已满（1/1）" in response.text


def test_bulk_recommend_and_message(client, roles, edition, units):
    works = [factories.work(edition, unit=units["hd"], school=units["hd_school"]) for _ in range(3)]
    response = _login(client, roles["organizer"]).post(
        reverse("screening:unit_bulk"),
        {"decision": "recommend", "works": [w.pk for w in works]},
        follow=True,
    )
    assert "已对 3 件作品执行该操作。" in response.text
    assert Work.objects.filter(state="recommended").count() == 3


def test_city_queue_and_progress(client, roles, edition, units, hd_work, cy_work):
    services.work_recommend(work=cy_work, actor=roles["organizer_cy"])
    client = _login(client, roles["committee"])
    response = client.get(reverse("screening:city_queue"))
    assert [w.code for w in response.context["page_obj"]] == [cy_work.code]
    progress = client.get(reverse("screening:city_progress"))
    rows = {
        r.unit.code: (r.submitted, r.reviewed, r.recommended, r.pending)
        for r in progress.context["rows"]
    }
    assert rows["HD"] == (1, 0, 0, 1)
    assert rows["CY"] == (1, 1, 1, 0)


def test_city_work_only_for_recommended(client, roles, hd_work):
    client = _login(client, roles["committee"])
    assert client.get(reverse("screening:city_work", args=[hd_work.pk])).status_code == 404


def test_city_remind_view(client, roles, hd_work):
    response = _login(client, roles["committee"]).post(
        reverse("screening:city_remind"), follow=True
    )
    assert "已向 1 位组织员发送提醒。" in response.text


def test_city_remind_with_an_invalid_selection_reminds_nobody(client, roles, hd_work):
    from gongchuang.notifications.models import Notification

    for units in (["999999"], ["abc"]):
        response = _login(client, roles["committee"]).post(
            reverse("screening:city_remind"), {"units": units}, follow=True
        )
        assert "所选单位无效，未发送任何提醒。" in response.text
    assert not Notification.objects.filter(recipient=roles["organizer"]).exists()


def test_dashboard_panels(client, roles, hd_work):
    response = _login(client, roles["organizer"]).get(reverse("accounts:dashboard"))
    assert 'data-testid="screening-unit-panel"' in response.text
    assert "AI 艺术创作：已推荐 0 件 / 名额 30 件" in response.text
    response = _login(client, roles["committee"]).get(reverse("accounts:dashboard"))
    assert 'data-testid="screening-city-panel"' in response.text


def test_file_of_own_units_draft_is_404_for_organizer(client, roles, edition, units):
    draft = factories.work(edition, unit=units["hd"], school=units["hd_school"], submit=False)
    f = factories.attach(
        draft,
        slot="artwork",
        data=factories.png_bytes(),
        name="a.png",
        kind="image",
        mime="image/png",
    )
    assert (
        _login(client, roles["organizer"])
        .get(reverse("screening:work_file", args=[f.pk]))
        .status_code
        == 404
    )


def test_committee_export_and_organizer_refused_city_export(client, roles, edition, units, cy_work):
    services.work_recommend(work=cy_work, actor=roles["organizer_cy"])
    response = _login(client, roles["committee"]).get(reverse("screening:city_export"))
    assert response.status_code == 200
    assert _codes_in_xlsx(response.content) == [cy_work.code]
    assert (
        _login(client, roles["organizer"]).get(reverse("screening:city_export")).status_code == 403
    )


def test_unrecommend_view_frees_place(client, roles, hd_work):
    services.work_recommend(work=hd_work, actor=roles["organizer"])
    response = _login(client, roles["organizer"]).post(
        reverse("screening:unit_unrecommend", args=[hd_work.pk]), {"reason": "换一件"}, follow=True
    )
    assert f"已撤销 {hd_work.code} 的推荐。" in response.text
    assert "AI 艺术创作 0/30" in response.text


@pytest.mark.parametrize("name", ["city_queue", "city_progress"])
def test_city_pages_query_count_does_not_grow(client, roles, edition, units, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _login(client, roles["committee"])
    client.get(reverse(f"screening:{name}"))
    counts = []
    for total in (5, 40):
        while Work.objects.count() < total:
            unit, school = (
                (units["hd"], units["hd_school"])
                if Work.objects.count() % 2
                else (units["cy"], units["cy_school"])
            )
            organizer = roles["organizer"] if unit == units["hd"] else roles["organizer_cy"]
            services.work_recommend(
                work=factories.work(edition, unit=unit, school=school), actor=organizer
            )
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse(f"screening:{name}"))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
