"""Works-list exports: filtered rows, scope, audit, background exports with progress."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongchuang.common.models import AuditEvent
from gongchuang.reports.enums import JobStatus
from gongchuang.reports.models import Export
from gongchuang.submissions.models import Work

from .seed import seed_works

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[tuple]:
    return list(
        load_workbook(io.BytesIO(content), read_only=True).active.iter_rows(values_only=True)
    )


def _download(client, **params) -> list[tuple]:
    response = client.get(reverse("reports:export_works"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return _rows(b"".join(response.streaming_content))


def test_export_has_exactly_the_filtered_rows_and_is_audited(client, edition, roles, units):
    seed_works(edition, roles["committee"])
    client.force_login(roles["committee"])
    art = edition.categories.get(code="ai_art")
    rows = _download(client, unit=units["cy"].pk, category=art.pk)
    expected = Work.objects.filter(edition=edition, unit=units["cy"], category=art)
    assert rows[0][:2] == ("作品编号", "作品名称")
    assert sorted(r[1] for r in rows[1:]) == sorted(expected.values_list("title", flat=True))
    assert {r[4] for r in rows[1:]} == {units["cy"].name}
    event = AuditEvent.objects.get(action="export.works")
    assert event.after == {
        "filters": {"unit_id": units["cy"].pk, "category_id": art.pk},
        "rows": expected.count(),
    }
    assert event.actor == roles["committee"]


def test_organizer_export_is_own_unit_without_drafts(client, edition, roles, units):
    seed_works(edition, roles["committee"])
    client.force_login(roles["organizer"])
    rows = _download(client, unit=units["cy"].pk)  # another unit: ignored, still HD only
    expected = Work.objects.filter(edition=edition, unit=units["hd"]).exclude(state="draft")
    assert sorted(r[0] for r in rows[1:]) == sorted(expected.values_list("code", flat=True))
    assert {r[4] for r in rows[1:]} == {units["hd"].name}


def test_export_state_labels_are_chinese(client, edition, roles):
    seed_works(edition, roles["committee"], per_unit=3, unit_codes=("HD",))
    client.force_login(roles["committee"])
    rows = _download(client, state="recommended")
    assert len(rows) == 1 + Work.objects.filter(edition=edition, state="recommended").count()
    from django.utils import translation

    from gongchuang.submissions.enums import WorkState

    with translation.override("zh-hans"):
        label = str(WorkState.RECOMMENDED.label)
    assert label != "Recommended by unit"
    assert {r[6] for r in rows[1:]} == {label}


def test_large_export_runs_in_background_with_progress(
    client, edition, roles, monkeypatch, django_capture_on_commit_callbacks
):
    seed_works(edition, roles["committee"], per_unit=4)
    monkeypatch.setattr("gongchuang.reports.services.SYNC_EXPORT_LIMIT", 5)
    client.force_login(roles["committee"])
    confirm = client.get(reverse("reports:export_works"))
    assert confirm.status_code == 200 and not Export.objects.exists(), "a link starts nothing"
    assert "筛选出" in confirm.content.decode() and "作品 12 件" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_works"))
    export = Export.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:export_detail", args=[export.pk])
    assert export.status == JobStatus.DONE
    assert export.rows_done == export.total == 12
    page = client.get(response.url).content.decode()
    assert "已完成" in page and "下载 xlsx" in page
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert len(_rows(b"".join(download.streaming_content))) == 13
    assert AuditEvent.objects.filter(action="export.works", object_id=str(export.pk)).count() == 1


def test_someone_elses_export_is_404(
    client, edition, roles, monkeypatch, django_capture_on_commit_callbacks
):
    seed_works(edition, roles["committee"], per_unit=3)
    monkeypatch.setattr("gongchuang.reports.services.SYNC_EXPORT_LIMIT", 1)
    client.force_login(roles["organizer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export_works"))
    export = Export.objects.get()
    client.force_login(roles["organizer_cy"])
    assert client.get(reverse("reports:export_detail", args=[export.pk])).status_code == 404
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 404


def test_export_forbidden_for_students(client, edition, roles):
    client.force_login(roles["student"])
    assert client.get(reverse("reports:export_works")).status_code == 403


def test_export_query_count_does_not_grow_with_rows(client, edition, roles):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(roles["committee"])
    client.get(reverse("reports:dashboard"))  # warm up the session
    seed_works(edition, roles["committee"], per_unit=1)
    with CaptureQueriesContext(connection) as small:
        _download(client)
    seed_works(edition, roles["committee"], per_unit=6)
    with CaptureQueriesContext(connection) as large:
        rows = _download(client)
    assert len(rows) == 1 + 21
    assert len(large.captured_queries) == len(small.captured_queries)
