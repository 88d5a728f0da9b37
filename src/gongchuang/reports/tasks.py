"""Background work of the reports app: large exports and the summary report PDF."""

import logging

from django.utils import timezone
from django_tasks import task

from .enums import JobStatus
from .models import Export, SummaryReport

log = logging.getLogger(__name__)


@task()
def run_export(export_id: int) -> str:
    from .services import export_run

    export = Export.objects.select_related("edition", "requested_by").filter(pk=export_id).first()
    if export is None or export.status == JobStatus.DONE:
        return "nothing to do"
    try:
        export_run(export=export)
    except Exception as exc:
        log.exception("export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(
            status=JobStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return "failed"
    return "done"


@task()
def build_summary_report(report_id: int) -> str:
    from django.core.files.base import ContentFile

    from .pdf import summary_pdf

    report = SummaryReport.objects.select_related("edition").filter(pk=report_id).first()
    if report is None or report.status == JobStatus.DONE:
        return "nothing to do"
    SummaryReport.objects.filter(pk=report_id).update(status=JobStatus.RUNNING)
    try:
        data = summary_pdf(report.edition)
    except Exception as exc:
        log.exception("summary report %s failed", report_id)
        SummaryReport.objects.filter(pk=report_id).update(
            status=JobStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return "failed"
    report.file.save(f"summary-{report.pk}.pdf", ContentFile(data), save=False)
    report.status = JobStatus.DONE
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "status", "finished_at"])
    return "done"
