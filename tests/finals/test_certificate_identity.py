"""A formal certificate (issue 20): a stable unique number printed on it and shown on the
verify page; formal wording per template; issuer lines and date under the edition's seal;
A4 landscape with its fonts embedded."""

import datetime
import importlib
import io
import subprocess
import threading

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from gongchuang.editions.services import edition_image_upload, edition_issuers_update
from gongchuang.finals.certificates import render_certificate_pdf
from gongchuang.finals.models import Certificate
from tests.common.test_pdf_fonts import assert_all_embedded
from tests.factories import images

pytestmark = pytest.mark.django_db


def issue(event, work, *, award="一等奖", role="author", user=None):
    return Certificate.objects.create(
        event=event, work=work, user=user or work.authorships.first().user, role=role,
        award=award, issued_on=timezone.localdate(),
    )  # fmt: skip


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def page_images(data: bytes) -> int:
    page = PdfReader(io.BytesIO(data)).pages[0]
    return len(page.images)


def test_numbers_follow_the_edition_code_in_issue_order(event, finalist_factory, units):
    works = [finalist_factory(school=units["hd_school"], title=f"作品{i}") for i in range(3)]
    numbers = [issue(event, work).number for work in works]
    assert numbers == ["2026-00001", "2026-00002", "2026-00003"]


def test_a_number_never_changes_nor_is_reused(event, finalist_factory, units):
    work = finalist_factory(school=units["hd_school"], title="绿地守护者")
    first = issue(event, work)
    first.revoked_at = timezone.now()
    first.save(update_fields=["revoked_at"])
    second = issue(event, work)
    first.refresh_from_db()
    assert (first.number, second.number) == ("2026-00001", "2026-00002")


def test_the_database_refuses_a_duplicate_number(event, finalist_factory, units):
    work = finalist_factory(school=units["hd_school"], title="绿地守护者")
    first = issue(event, work)
    second = issue(event, work, award="最佳创意奖")
    second.number = first.number
    with pytest.raises(IntegrityError):
        second.save(update_fields=["number"])


def test_the_verify_page_shows_the_number(client, event, finalist_factory, units):
    certificate = issue(event, finalist_factory(school=units["hd_school"], title="绿地守护者"))
    body = client.get(reverse("finals:verify", args=[certificate.code])).content.decode()
    assert "证书编号" in body
    assert '<dd data-testid="certificate-number">2026-00001</dd>' in body


def test_the_pdf_is_a_formal_certificate(event, finalist_factory, units, tmp_path):
    certificate = issue(event, finalist_factory(school=units["hd_school"], title="绿地守护者"))
    data = render_certificate_pdf(certificate)
    text = pdf_text(data)
    assert "证书编号：2026-00001" in text
    assert "特发此证，以资鼓励。" in text
    assert "《绿地守护者》" in text
    # No seal uploaded: the hosts are the issuers (organisers["hosts"], not "host").
    for host in event.edition.organisers["hosts"]:
        assert host in text
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    assert page_images(data) == 0
    assert assert_all_embedded(data, tmp_path) == ["NotoSansSC-Bold", "NotoSansSC-Regular"]


def test_an_advisors_certificate_commends(event, finalist_factory, units, roles):
    work = finalist_factory(school=units["hd_school"], title="绿地守护者")
    certificate = issue(event, work, role="advisor", user=roles["teacher"])
    text = pdf_text(render_certificate_pdf(certificate))
    assert "你指导的作品《绿地守护者》" in text
    assert "特发此证，以资表彰。" in text


def test_the_seal_is_printed_over_the_issuer_lines(event, finalist_factory, units, roles):
    edition, committee = event.edition, roles["committee"]
    edition_image_upload(
        edition=edition, kind="seal", actor=committee,
        upload=images.png((300, 300), transparent=True),
    )  # fmt: skip
    issuers = {"issuers": ["北京青少年人工智能应用实践活动组委会"]}
    edition_issuers_update(edition=edition, actor=committee, values=issuers)
    edition.refresh_from_db()
    certificate = issue(event, finalist_factory(school=units["hd_school"], title="绿地守护者"))
    data = render_certificate_pdf(certificate)
    assert page_images(data) == 1  # the seal (with its transparency as a soft mask)
    assert b"/SMask" in data
    text = pdf_text(data)
    assert "北京青少年人工智能应用实践活动组委会" in text
    assert edition.organisers["hosts"][0] not in text


def test_the_migration_numbers_existing_certificates_in_issue_order(event, finalist_factory, units):
    """finals 0004 numbers the certificates issued before numbers existed: per edition, by
    date of issue, then id (run here on rows whose numbers are scrambled)."""
    from django.apps import apps

    backfill = importlib.import_module("gongchuang.finals.migrations.0005_certificate_number")
    works = [finalist_factory(school=units["hd_school"], title=f"作品{i}") for i in range(3)]
    late, early, middle = (issue(event, work) for work in works)
    for day, certificate in zip((20, 1, 10), (late, early, middle), strict=True):
        Certificate.objects.filter(pk=certificate.pk).update(
            issued_on=datetime.date(2026, 7, day), number=f"OLD-{certificate.pk}", serial=99
        )
    backfill.number_existing(apps, None)
    numbers = {c.pk: c.number for c in Certificate.objects.all()}
    assert [numbers[c.pk] for c in (early, middle, late)] == [
        "2026-00001", "2026-00002", "2026-00003",
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_simultaneous_issuers_get_distinct_consecutive_numbers(event, finalist_factory, units):
    """The edition's row lock queues concurrent issuers (PostgreSQL: real concurrency)."""
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database does not allow concurrent writers")
    works = [finalist_factory(school=units["hd_school"], title=f"作品{i}") for i in range(4)]
    barrier = threading.Barrier(len(works))
    errors = []

    def issue_one(work):
        try:
            barrier.wait()
            issue(event, work)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_one, args=(w,)) for w in works]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [
        "2026-00001", "2026-00002", "2026-00003", "2026-00004",
    ]  # fmt: skip
