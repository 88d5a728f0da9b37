"""Background work of the final: bulk certificate generation into a ZIP, with progress."""

import io
import logging
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from .certificates import certificate_ensure_file, certificate_file_name
from .enums import BatchStatus
from .models import Certificate, CertificateBatch

log = logging.getLogger(__name__)
PROGRESS_EVERY = 5


@task()
def generate_certificates(batch_id: int) -> str:
    batch = CertificateBatch.objects.filter(pk=batch_id).select_related("event").first()
    if batch is None or batch.status == BatchStatus.DONE:
        return "nothing to do"
    qs = Certificate.objects.filter(event=batch.event, revoked_at__isnull=True).select_related(
        "work__category", "work__unit", "user", "event__edition"
    )
    if batch.unit_id:
        qs = qs.filter(work__unit_id=batch.unit_id)
    certificates = list(qs.order_by("work__code", "role", "pk"))
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, total=len(certificates), done=0
    )
    try:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, certificate in enumerate(certificates, start=1):
                certificate_ensure_file(certificate)
                with certificate.file.open("rb") as fh:
                    folder = certificate.work.unit.name
                    archive.writestr(f"{folder}/{certificate_file_name(certificate)}", fh.read())
                if n % PROGRESS_EVERY == 0 or n == len(certificates):
                    CertificateBatch.objects.filter(pk=batch.pk).update(done=n)
        batch.refresh_from_db()
        batch.zip_file.save("certificates.zip", ContentFile(buffer.getvalue()), save=False)
        batch.status = BatchStatus.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["zip_file", "status", "finished_at"])
    except Exception as exc:
        log.exception("certificate batch %s failed", batch_id)
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return "failed"
    return "done"
