"""Background work of the reports app: large exports and the summary report PDF."""

import logging

from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from gongchuang.common.errors import DomainError

from . import exports
from .enums import JobStatus
from .models import Export, SummaryReport
from .pdf import summary_pdf
from .scope import Filters, report_scope, report_works

log = logging.getLogger(__name__)


@task()
def run_export(export_id: int) -> str:
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


def export_run(*, export: Export) -> Export:
    """Build the file of a queued export, recording progress as rows are written."""
    scope = report_scope(export.requested_by)
    if scope is None:
        raise DomainError(_("You may no longer see these works."), code="forbidden")
    Export.objects.filter(pk=export.pk).update(status=JobStatus.RUNNING)
    qs = report_works(scope, edition=export.edition, filters=Filters(**export.filters))

    def progress(n: int) -> None:
        Export.objects.filter(pk=export.pk).update(rows_done=n)

    handle, rows = exports.temp_xlsx(
        title=_("Works"),
        headers=exports.work_headers(),
        rows=exports.work_rows(qs),
        progress=progress,
    )
    with handle:
        export.file.save(f"works-{export.pk}.xlsx", File(handle), save=False)
    export.rows_done = rows
    export.total = rows
    export.status = JobStatus.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "rows_done", "total", "status", "finished_at"])
    return export


@task()
def build_summary_report(report_id: int) -> str:
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
