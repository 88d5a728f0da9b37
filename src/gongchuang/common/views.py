"""The committee's audit log: search, page through, export (the export is audited too)."""

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .access import permission_required
from .audit import audit_record
from .audit_search import AuditFilterForm, audit_events_matching, export_csv, export_xlsx
from .paginator import BoundedPaginator

_EXPORTS = {
    "csv": (export_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        export_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


@permission_required("common.view_audit_log")
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_matching(filters)
    export = request.GET.get("export")
    if export in _EXPORTS:
        return _export(request, events, export, filters)
    page = BoundedPaginator(events.select_related("content_type"), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "common/audit_log.html",
        {"form": form, "page_obj": page, "query_string": query.urlencode()},
    )


def _export(request, events, fmt, filters):
    build, content_type = _EXPORTS[fmt]
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action="audit.export",
            after={"format": fmt, "filters": {k: str(v) for k, v in filters.items() if v}},
        )
    response = HttpResponse(build(events), content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = _("audit-log-%(stamp)s") % {"stamp": stamp}
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response
