"""School lists: a district organiser keeps its own unit's schools, the committee every unit's.

Object pages check ``accounts.change_school`` on the school (accounts.rules), so an organiser
gets 403 for another district's school; the list reads ``schools_for_admin`` only.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongchuang.common.errors import DomainError
from gongchuang.common.spreadsheets import template_response, xlsx_response

from .. import schools as services
from ..access import permission_required
from ..forms_schools import ImportForm, MergeForm, ReasonForm, SchoolForm
from ..models import School
from ..schools_sheet import COLUMNS, export_bytes, parse_school_sheet, schools_import

PAGE_SIZE = 50
STATUSES = ("active", "inactive")


def _school(request, pk: int) -> School:
    return get_object_or_404(School.objects.select_related("unit"), pk=pk)


def _param(request, name: str) -> str:
    """A filter from the query string; one with a NUL byte (which PostgreSQL refuses in
    text) filters nothing, like an empty one."""
    value = request.GET.get(name, "")
    return "" if "\x00" in value else value


def _filters(request) -> dict:
    units = services.units_for_school_admin(request.user)
    code = _param(request, "unit")
    status = _param(request, "status")
    return {
        "unit": units.filter(code=code).first() if code else None,
        "query": _param(request, "q").strip()[:100],
        "status": status if status in STATUSES else "",
    }


@require_GET
def school_options(request):
    """htmx, for registration: the <option>s of the active schools under the chosen unit."""
    unit_id = request.GET.get("unit", "")
    schools = (
        services.schools_open_for_registration().filter(unit_id=unit_id).order_by("name")
        if unit_id.isdigit()
        else []
    )
    selected = request.GET.get("school", "")
    return render(
        request, "accounts/_school_options.html", {"schools": schools, "selected": selected}
    )


@permission_required("accounts.manage_schools")
def school_list(request):
    filters = _filters(request)
    schools = services.schools_for_admin(request.user, **filters)
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k in ("q", "unit", "status") and v}
    units = services.units_for_school_admin(request.user)
    return render(
        request,
        "accounts/schools/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "units": units if units.count() > 1 else None,
            "query_string": urlencode(query),
        },
    )


@permission_required("accounts.manage_schools")
def school_export(request):
    schools = services.schools_for_admin(request.user, **_filters(request))
    return xlsx_response(export_bytes(schools), name=_("schools"))


@permission_required("accounts.manage_schools")
def school_add(request):
    form = SchoolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.school_add(
                actor=request.user, unit=form.cleaned_data["unit"], **form.service_kwargs()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("School “%(name)s” added.") % {"name": school.name})
            return redirect("accounts:school_list")
    return render(request, "accounts/schools/form.html", {"form": form, "school": None})


@permission_required("accounts.change_school", obj=_school)
def school_edit(request, pk: int):
    school = _school(request, pk)
    form = SchoolForm(request.POST or None, user=request.user, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            services.school_update(actor=request.user, school=school, **form.service_kwargs())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The school has been saved."))
            return redirect("accounts:school_list")
    context = {"form": form, "school": school, "refs": services.school_references(school)}
    return render(request, "accounts/schools/form.html", context)


@permission_required("accounts.change_school", obj=_school)
def school_deactivate(request, pk: int):
    school = _school(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.school_deactivate(
            actor=request.user, school=school, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("“%(name)s” is deactivated: registration no longer offers it.")
            % {"name": school.name},
        )
        return redirect("accounts:school_list")
    context = {"form": form, "school": school, "people": services.people_count(school)}
    return render(request, "accounts/schools/deactivate.html", context)


@require_POST
@permission_required("accounts.change_school", obj=_school)
def school_reactivate(request, pk: int):
    school = services.school_reactivate(actor=request.user, school=_school(request, pk))
    messages.success(request, _("“%(name)s” is active again.") % {"name": school.name})
    return redirect("accounts:school_list")


@permission_required("accounts.change_school", obj=_school)
def school_merge(request, pk: int):
    """GET: choose the target; POST: show what moves; POST with ``confirm``: merge."""
    source = _school(request, pk)
    form = MergeForm(request.POST or None, source=source)
    context = {"form": form, "school": source, "refs": services.school_references(source)}
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        if "confirm" not in request.POST:
            context |= {"target": target, "people": services.people_count(source)}
            return render(request, "accounts/schools/merge.html", context)
        try:
            services.school_merge(
                actor=request.user, source=source, target=target, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("“%(source)s” has been merged into “%(target)s”.")
                % {"source": source.name, "target": target.name},
            )
            return redirect("accounts:school_list")
    return render(request, "accounts/schools/merge.html", context)


@permission_required("accounts.manage_schools")
def school_import(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = parse_school_sheet(data["file"], actor=request.user, default_unit=data["unit"])
        if not report.errors:
            try:
                schools_import(report=report, actor=request.user)
            except DomainError as exc:
                report.errors.append(str(exc.message))
            else:
                messages.success(request, _import_message(report))
                return redirect("accounts:school_list")
    context = {"form": form, "report": report, "columns": [c.title() for c in COLUMNS]}
    return render(request, "accounts/schools/import.html", context)


def _import_message(report) -> str:
    return _("Import done: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.") % {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }


@permission_required("accounts.manage_schools")
def school_import_template(request):
    return template_response(COLUMNS, name=_("schools-import-template"))
