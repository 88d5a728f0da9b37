"""School list pages: scoping (an organiser never sees another district's schools), forms, merge."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gongchuang.accounts import schools
from gongchuang.accounts.models import School, StudentProfile
from gongchuang.common.models import AuditEvent
from tests.factories import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def hd_client(client, roles):
    client.force_login(roles["organizer"])
    return client


def test_organiser_sees_only_own_district(hd_client, units):
    body = hd_client.get("/accounts/schools/").content.decode()
    assert "海淀测试中学" in body and "海淀测试小学" in body
    assert "朝阳测试中学" not in body


def test_organiser_gets_403_on_another_districts_school(client, roles, units):
    client.force_login(roles["organizer_cy"])
    pk = units["hd_school"].pk
    for url in (f"/accounts/schools/{pk}/", f"/accounts/schools/{pk}/merge/",
                f"/accounts/schools/{pk}/deactivate/"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    response = client.post(f"/accounts/schools/{pk}/", {"name": "改名", "kind": "school"})
    assert response.status_code == 403
    assert School.objects.get(pk=pk).name == "海淀测试中学"


def test_organiser_add_form_offers_only_own_units(hd_client, units):
    response = hd_client.post(
        "/accounts/schools/add/", {"unit": units["cy"].pk, "name": "越区学校", "kind": "school"}
    )
    assert response.status_code == 200
    assert not School.objects.filter(name="越区学校").exists()
    response = hd_client.post(
        "/accounts/schools/add/",
        {"unit": units["hd"].pk, "name": "海淀新学校", "code": "x1", "school_type": "primary",
         "levels": ["primary"], "kind": "school"},
    )  # fmt: skip
    assert response.status_code == 302
    school = School.objects.get(name="海淀新学校")
    assert (school.code, school.levels) == ("X1", ["primary"])


def test_duplicate_name_shows_the_chinese_error_on_the_form(hd_client, units):
    body = hd_client.post(
        "/accounts/schools/add/", {"unit": units["hd"].pk, "name": "海淀测试中学", "kind": "school"}
    ).content.decode()
    assert "海淀区已有名为“海淀测试中学”的学校。" in body


def test_teacher_and_coordinator_cannot_open_the_list(client, roles):
    for role in ("teacher", "coordinator", "student", "expert"):
        client.force_login(roles[role])
        assert client.get("/accounts/schools/").status_code == 403, role


def test_committee_filters_by_district_and_search(client, roles, units):
    client.force_login(roles["committee"])
    body = client.get("/accounts/schools/?unit=CY").content.decode()
    assert "朝阳测试中学" in body and "海淀测试中学" not in body
    body = client.get("/accounts/schools/?q=科技").content.decode()
    assert "海淀科技馆" in body and "海淀测试中学" not in body
    body = client.get("/accounts/schools/?q=不存在的学校").content.decode()
    assert "没有符合筛选条件的学校。" in body


def test_a_nul_byte_in_the_filters_lists_as_if_unfiltered(client, roles, units):
    """PostgreSQL refuses NUL in text: such a filter is ignored, never a server error."""
    client.force_login(roles["committee"])
    for params in ({"q": "a\x00b"}, {"unit": "a\x00b"}, {"status": "a\x00b"}):
        response = client.get("/accounts/schools/", params)
        assert response.status_code == 200, params
        assert "海淀测试中学" in response.content.decode()
    assert client.get("/accounts/schools/export.xlsx", {"q": "\x00"}).status_code == 200


def test_deactivate_confirms_then_hides(hd_client, units):
    pk = units["hd_school2"].pk
    body = hd_client.get(f"/accounts/schools/{pk}/deactivate/").content.decode()
    assert "停用“海淀测试小学”（海淀区）？" in body
    assert School.objects.get(pk=pk).is_active
    assert hd_client.post(f"/accounts/schools/{pk}/deactivate/", {"reason": ""}).status_code == 302
    assert not School.objects.get(pk=pk).is_active
    hd_client.get("/accounts/schools/")  # shows (and uses up) the success message
    body = hd_client.get("/accounts/schools/?status=active").content.decode()
    assert "海淀测试小学" not in body
    assert hd_client.post(f"/accounts/schools/{pk}/reactivate/").status_code == 302
    assert School.objects.get(pk=pk).is_active


def test_merge_previews_counts_then_merges(hd_client, edition, units):
    source, target = units["hd_school2"], units["hd_school"]
    student = people.student(source)
    url = f"/accounts/schools/{source.pk}/merge/"
    body = hd_client.post(url, {"target": target.pk, "reason": "重复"}).content.decode()
    assert "1 人及上述记录将从“海淀测试小学”转到“海淀测试中学”。" in body
    assert School.objects.filter(pk=source.pk).exists()
    response = hd_client.post(url, {"target": target.pk, "reason": "重复", "confirm": "1"})
    assert response.status_code == 302
    assert StudentProfile.objects.get(user=student).school == target
    assert AuditEvent.objects.get(action="school.merge").reason == "重复"


def test_merge_offers_no_school_of_another_district(hd_client, units):
    url = f"/accounts/schools/{units['hd_school2'].pk}/merge/"
    body = hd_client.get(url).content.decode()
    assert "朝阳测试中学" not in body
    hd_client.post(url, {"target": units["cy_school"].pk, "confirm": "1"})
    assert School.objects.filter(pk=units["hd_school2"].pk).exists()


def test_export_is_scoped_and_import_page_round_trips(hd_client, units):
    data = hd_client.get("/accounts/schools/export.xlsx").content
    names = [r[2] for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    assert "海淀测试中学" in names and "朝阳测试中学" not in names
    upload = io.BytesIO(data)
    upload.name = "schools.xlsx"
    response = hd_client.post("/accounts/schools/import/", {"file": upload, "unit": ""})
    assert response.status_code == 302
    messages = hd_client.get("/accounts/schools/").content.decode()
    assert f"导入完成：新增 0 所，更新 0 所，未变 {len(names) - 1} 所。" in messages


def test_template_download_is_accepted_by_the_import(hd_client, units):
    response = hd_client.get("/accounts/schools/import/template.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = io.BytesIO(response.content)
    upload.name = "template.xlsx"
    body = hd_client.post("/accounts/schools/import/", {"file": upload}).content.decode()
    # Only the example row, which the reader skips: nothing to import.
    assert "表格中没有数据行。" in body


def test_list_query_count_does_not_grow_with_schools(hd_client, roles, units):
    hd_client.get("/accounts/schools/")
    with CaptureQueriesContext(connection) as few:
        hd_client.get("/accounts/schools/")
    for i in range(15):
        schools.school_add(actor=roles["organizer"], unit=units["hd"], name=f"批量学校{i}")
    with CaptureQueriesContext(connection) as many:
        hd_client.get("/accounts/schools/")
    assert len(many) == len(few)
