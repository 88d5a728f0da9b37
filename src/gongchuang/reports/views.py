"""Dashboards, exports, edition clone/archive, summary reports and API tokens."""

from functools import wraps

from django.contrib import messages
from django.core.validators import slug_re
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError
from gongchuang.editions.models import Edition
from gongchuang.editions.selectors import current_edition

from . import exports, services
from .enums import JobStatus
from .forms import CloneForm, FilterForm, TokenForm
from .models import ApiToken, Export, SummaryReport
from .scope import INLINE_ROWS, report_scope, report_works
from .selectors import dashboard_data_cached


def scoped(view):
    """Needs ``reports.view``; passes the person's report ``scope`` to the view."""

    @permission_required("reports.view")
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, scope=report_scope(request.user), **kwargs)

    return wrapped


def _edition(request) -> Edition:
    slug = request.GET.get("edition")
    if slug:
        if not slug_re.match(slug):  # say, a NUL byte, which PostgreSQL refuses
            raise Http404
        return get_object_or_404(Edition.objects.prefetch_related("windows"), slug=slug)
    edition = current_edition()
    if edition is None:
        raise Http404
    return edition


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@scoped
def dashboard(request, *, scope):
    edition = _edition(request)
    form = FilterForm(request.GET or None, scope=scope, edition=edition)
    data = dashboard_data_cached(
        scope,
        edition=edition,
        filters=form.filters(),
        refresh="refresh" in request.GET,
        brief=True,
    )
    params = request.GET.copy()
    params.pop("refresh", None)
    params = params.urlencode()
    return render(
        request,
        "reports/dashboard.html",
        {
            "edition": edition,
            "form": form,
            "data": data,
            "query_string": params,
            "inline_rows": INLINE_ROWS,
        },
    )


@scoped
def table_xlsx(request, key: str, *, scope):
    edition = _edition(request)
    form = FilterForm(request.GET or None, scope=scope, edition=edition)
    table = dashboard_data_cached(scope, edition=edition, filters=form.filters()).table(key)
    if table is None:
        raise Http404
    rows = [*table.rows, table.footer] if table.footer else table.rows
    handle, _rows = exports.temp_xlsx(title=table.title, headers=table.headers, rows=rows)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{table.title}-{_stamp()}.xlsx",
        content_type=exports.XLSX_MIME,
    )


@scoped
def export_works(request, *, scope):
    edition = _edition(request)
    form = FilterForm(request.GET or None, scope=scope, edition=edition)
    filters = form.filters()
    total = report_works(scope, edition=edition, filters=filters).count()
    if services.needs_background(total):
        if request.method != "POST":
            # A background job is started by a button (POST with CSRF), never by a link.
            return render(
                request, "reports/export_confirm.html", {"edition": edition, "total": total}
            )
        export = services.works_export_queue(
            actor=request.user, edition=edition, filters=filters, total=total
        )
        messages.info(
            request, _("The export runs in the background; this page shows its progress.")
        )
        return redirect("reports:export_detail", pk=export.pk)
    handle, _rows = services.works_export_now(
        actor=request.user, scope=scope, edition=edition, filters=filters
    )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_("works-%(stamp)s.xlsx") % {"stamp": _stamp()},
        content_type=exports.XLSX_MIME,
    )


@scoped
def export_results(request, *, scope):
    edition = _edition(request)
    handle, _rows = services.results_export_now(actor=request.user, scope=scope, edition=edition)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_("award-list-%(stamp)s.xlsx") % {"stamp": _stamp()},
        content_type=exports.XLSX_MIME,
    )


def _own_export(request, pk: int) -> Export:
    return get_object_or_404(
        Export.objects.select_related("edition"), pk=pk, requested_by=request.user
    )


@scoped
def export_detail(request, pk: int, *, scope):
    export = _own_export(request, pk)
    return render(
        request,
        "reports/export_detail.html",
        {
            "export": export,
            "running": export.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        },
    )


@scoped
def export_download(request, pk: int, *, scope):
    export = _own_export(request, pk)
    if export.status != JobStatus.DONE or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=_("works-%(stamp)s.xlsx") % {"stamp": export.pk},
        content_type=exports.XLSX_MIME,
    )


@permission_required("reports.manage")
def editions(request):
    rows = Edition.objects.prefetch_related("windows").order_by("-year", "slug")
    return render(request, "reports/editions.html", {"editions": rows})


@permission_required("reports.manage")
def edition_clone_view(request, slug: str):
    source = get_object_or_404(Edition.objects.prefetch_related("windows"), slug=slug)
    year = source.year + 1
    initial = {
        "year": year,
        "slug": str(year) if not source.is_demo else f"{source.slug}{year}",
        "code": str(year),
        "name": source.name.replace(str(source.year), str(year)),
    }
    form = CloneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.edition_clone(source=source, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The new edition has been created. Please check its windows and rules.")
            )
            return redirect("editions:settings", slug=edition.slug)
    return render(request, "reports/edition_clone.html", {"form": form, "source": source})


@permission_required("reports.manage")
@require_POST
def edition_archive_view(request, slug: str):
    edition = get_object_or_404(Edition, slug=slug)
    try:
        services.edition_archive(edition=edition, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The edition is archived and now read-only."))
    return redirect("reports:editions")


@permission_required("reports.manage")
def summary(request):
    edition = _edition(request)
    if request.method == "POST":
        try:
            services.summary_report_request(edition=edition, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The summary report is being generated."))
        return redirect(f"{request.path}?edition={edition.slug}")
    reports = SummaryReport.objects.filter(edition=edition).select_related("requested_by")[:20]
    running = any(r.status in (JobStatus.QUEUED, JobStatus.RUNNING) for r in reports)
    return render(
        request,
        "reports/summary.html",
        {
            "edition": edition,
            "reports": reports,
            "running": running,
        },
    )


@permission_required("reports.manage")
def summary_download(request, pk: int):
    report = get_object_or_404(SummaryReport, pk=pk, status=JobStatus.DONE)
    if not report.file:
        raise Http404
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=f"summary-{report.edition.slug}.pdf",
        content_type="application/pdf",
    )


@permission_required("reports.manage")
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.api_token_create(
                user=form.cleaned_data["user"], name=form.cleaned_data["name"], actor=request.user
            )
        except DomainError as exc:
            form.add_error("user", exc.message)
        else:
            form = TokenForm()
    rows = ApiToken.objects.select_related("user").order_by("-created_at")[:200]
    return render(
        request, "reports/tokens.html", {"form": form, "tokens": rows, "new_token": new_token}
    )


@permission_required("reports.manage")
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token has been revoked."))
    return redirect("reports:tokens")
