"""The summary report PDF: generated in the background, downloadable by the committee."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from gongchuang.reports.enums import JobStatus
from gongchuang.reports.models import SummaryReport

from .seed import seed_works

pytestmark = pytest.mark.django_db


def test_committee_generates_and_downloads_the_summary(
    client, edition, roles, django_capture_on_commit_callbacks
):
    seed_works(edition, roles["committee"])
    client.force_login(roles["committee"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:summary"))
    assert response.status_code == 302
    report = SummaryReport.objects.get()
    assert report.status == JobStatus.DONE, report.error
    page = client.get(reverse("reports:summary")).content.decode()
    assert "下载 PDF" in page
    download = client.get(reverse("reports:summary_download", args=[report.pk]))
    assert download["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) >= 2
    # Key numbers, a chart title and the per-unit appendix (the embedded font keeps text).
    assert "关键数据" in text
    assert "各组织单位作品数" in text
    assert "附录：各组织单位" in text and "朝阳区" in text


def test_summary_is_committee_only(client, edition, roles):
    client.force_login(roles["organizer"])
    assert client.get(reverse("reports:summary")).status_code == 403
    assert client.post(reverse("reports:summary")).status_code == 403
