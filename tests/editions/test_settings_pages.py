"""The committee's edition settings pages: categories with materials, rubric, rules, current."""

import pytest

from gongchuang.common.models import AuditEvent
from gongchuang.editions.models import Category
from gongchuang.submissions import services as work_services
from tests.conftest import PASSWORD
from tests.submissions.helpers import complete_art_work

MB = 1024 * 1024


def committee_client(client, roles):
    client.post("/accounts/login/", {"username": roles["committee"].username, "password": PASSWORD})
    return client


def formset(prefix, rows, total=None, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(total or len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def category_post(**over):
    data = {
        "code": "ai_music", "short_code": "MUS", "track": "student", "name": "AI 音乐",
        "description": "", "eligible_levels": ["junior", "senior"], "max_authors": "2",
        "max_advisors": "1", "unit_quota": "",
    }  # fmt: skip
    data.update(over)
    return data


def material_rows(category):
    return [
        {"key": m["key"], "label": m["label"], "kinds": m["kinds"], "max_mb": m["max_bytes"] // MB,
         **{f: "on" for f in ("required", "multiple", "allows_link") if m.get(f)}}
        for m in category.materials
    ]  # fmt: skip


def test_committee_adds_a_category_with_two_materials(client, edition, roles):
    client = committee_client(client, roles)
    rows = [
        {"label": "乐曲", "kinds": ["audio"], "max_mb": "50", "required": "on"},
        {"label": "创作说明", "kinds": ["pdf", "docx"], "max_mb": "20"},
        {},
    ]
    data = {**category_post(), **formset("materials", rows)}
    response = client.post(f"/editions/{edition.slug}/categories/new/", data)
    category = Category.objects.get(edition=edition, code="ai_music")
    assert (
        response.status_code == 302
        and response.url == f"/editions/categories/{category.pk}/rubric/"
    )
    assert [(m["key"], m["label"], m["max_bytes"], m["required"]) for m in category.materials] == [
        ("m1", "乐曲", 50 * MB, True),
        ("m2", "创作说明", 20 * MB, False),
    ]
    assert category.eligible_levels == ["junior", "senior"] and category.max_advisors == 1


def test_category_without_material_or_level_is_refused_next_to_the_field(client, edition, roles):
    client = committee_client(client, roles)
    data = {**category_post(eligible_levels=[]), **formset("materials", [{}, {}])}
    body = client.post(f"/editions/{edition.slug}/categories/new/", data).content.decode()
    assert "请至少选择一个学段。" in body and "每个类别至少需要一项材料。" in body
    assert not Category.objects.filter(code="ai_music").exists()


def test_lowering_a_size_limit_after_a_submission_is_refused_with_the_reason(
    client, edition, roles
):
    work = complete_art_work(edition, roles["student"])
    work_services.work_submit(work=work, actor=roles["student"])
    category = edition.categories.get(code="ai_art")
    rows = material_rows(category)
    rows[1]["max_mb"] = "5"
    post = category_post(
        code="ai_art", short_code="ART", name=category.name, max_authors="1", max_advisors="2",
        eligible_levels=category.eligible_levels, unit_quota="30",
    )  # fmt: skip
    data = {**post, **formset("materials", rows, initial=len(rows))}
    body = (
        committee_client(client, roles)
        .post(f"/editions/categories/{category.pk}/", data)
        .content.decode()
    )
    assert "不能降低“创作说明（PDF）”的大小上限：已提交的文件可能更大。" in body
    category.refresh_from_db()
    assert category.materials[1]["max_bytes"] == 20 * MB


def test_rubric_page_refuses_weights_not_adding_to_100(client, edition, roles):
    category = edition.categories.get(code="ai_art")
    rows = [{"name": "创新性", "weight": "60"}, {"name": "表达", "weight": "30"}]
    body = (
        committee_client(client, roles)
        .post(f"/editions/categories/{category.pk}/rubric/", formset("rubric", rows))
        .content.decode()
    )
    assert "权重合计为 90，必须合计为 100。" in body
    assert category.rubric.count() == 5


def test_rules_page_refuses_weights_not_adding_to_100_next_to_the_field(client, edition, roles):
    data = {"reviews_per_work": "3", "star_five": "15", "star_four": "35", "star_three": "50",
            "weight_presentation": "50", "weight_task": "40", "weight_online": "0",
            "publicity_working_days": "5", "award_publicity_working_days": "5",
            "disagreement_threshold": "20", "similarity_text_percent": "60",
            "similarity_image_percent": "84", "score_min": "1"}  # fmt: skip
    body = (
        committee_client(client, roles)
        .post(f"/editions/{edition.slug}/rules/", data)
        .content.decode()
    )
    assert '<p class="error" role="alert">终评成绩权重合计必须为 100。</p>' in body
    data["weight_task"] = "50"
    data["publicity_working_days"] = "7"
    response = client.post(f"/editions/{edition.slug}/rules/", data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.settings["publicity_working_days"] == 7
    assert edition.settings["score_min"] == 1  # one scale for the online review and the final


def test_window_opening_and_closing_move_together_and_are_audited(client, edition, roles):
    window = edition.windows.get(step="summary")
    data = {"opens_at": "2031-09-01T00:00", "closes_at": "2032-01-31T23:59", "reason": "顺延"}
    response = committee_client(client, roles).post(f"/editions/windows/{window.pk}/", data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="window.reschedule")
    assert event.after["opens_at"].startswith("2031-09-01") and event.reason == "顺延"


def test_make_current_from_the_page(client, edition, roles):
    from gongchuang.editions.services import edition_create_from_defaults

    other, _ = edition_create_from_defaults(year=2027, slug="t2027", code="2027")
    response = committee_client(client, roles).post(f"/editions/{other.slug}/make-current/")
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.is_current


def test_preview_shows_the_student_form_read_only(client, edition, roles):
    category = edition.categories.get(code="ai_agent")
    body = (
        committee_client(client, roles)
        .get(f"/editions/categories/{category.pk}/preview/")
        .content.decode()
    )
    assert "演示视频（MP4 ≤500MB）" in body and 'name="title"' in body
    assert 'id="id_title" disabled' in body or "disabled" in body.split('id="id_title"')[1][:200]


def test_settings_page_no_longer_sends_the_committee_to_the_admin(client, edition, roles):
    body = committee_client(client, roles).get(f"/editions/{edition.slug}/").content.decode()
    assert "管理后台" not in body and "新增类别" in body


@pytest.mark.parametrize("who", ["organizer", "student", "expert", "teacher"])
@pytest.mark.parametrize(
    "path",
    [
        "{slug}/rules/",
        "{slug}/categories/new/",
        "categories/{pk}/",
        "categories/{pk}/rubric/",
        "categories/{pk}/preview/",
    ],
)
def test_only_the_committee_opens_the_settings_pages(client, edition, roles, who, path):
    client.post("/accounts/login/", {"username": roles[who].username, "password": PASSWORD})
    url = "/editions/" + path.format(slug=edition.slug, pk=edition.categories.first().pk)
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_login(client, edition):
    response = client.get(f"/editions/{edition.slug}/rules/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_details_page_edits_organisers_line_by_line_and_audits(client, edition, roles):
    hosts = "北京市科学技术协会\n\n北京市教育委员会 "
    data = {"name": edition.name, "theme": "与AI共创未来", "hosts": hosts,
            "organisers": "北京科学中心", "co_organisers": ""}  # fmt: skip
    response = committee_client(client, roles).post(f"/editions/{edition.slug}/details/", data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.organisers == {
        "hosts": ["北京市科学技术协会", "北京市教育委员会"],
        "organisers": ["北京科学中心"],
        "co_organisers": [],
    }
    event = AuditEvent.objects.get(action="edition.details")
    assert list(event.before) == ["organisers"] and len(event.before["organisers"]["hosts"]) == 4


def test_settings_page_shows_each_change_in_chinese(client, edition, roles):
    client = committee_client(client, roles)
    client.post(f"/editions/{edition.slug}/details/", {"name": edition.name, "theme": "新主题",
                                                       "hosts": "甲"})  # fmt: skip
    body = client.get(f"/editions/{edition.slug}/").content.decode()
    assert "修改名称、主题或组织单位" in body and "新主题" in body
