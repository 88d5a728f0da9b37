"""Staff tools: creating staff accounts from a sheet, finding a student."""

from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongchuang.common.spreadsheets import template_response

from ..access import permission_required
from ..privacy import (
    audit_personal_data_view,
    can_see_personal_data,
    display_name_for,
    display_phone_for,
    display_school_for,
)
from ..privacy_services import students_matching
from ..staff_import import COLUMNS, HEADERS, parse_staff_sheet, staff_import


@permission_required("accounts.import_staff")
def staff_import_view(request):
    """Committee: create staff accounts from an .xlsx sheet (all-or-nothing)."""
    report = None
    if request.method == "POST" and request.FILES.get("sheet"):
        report = parse_staff_sheet(request.FILES["sheet"])
        if not report.errors:
            staff_import(report=report, actor=request.user)
            messages.success(
                request, _("%(n)s accounts were created.") % {"n": len(report.created)}
            )
    return render(request, "accounts/staff_import.html", {"report": report, "columns": HEADERS})


@permission_required("accounts.import_staff")
def staff_import_template(request):
    """Committee: the staff import's template (.xlsx)."""
    return template_response(COLUMNS, name=_("staff-import-template"))


@permission_required("accounts.lookup_students")
def student_lookup(request):
    """Staff find a student by username or work code; minors outside their scope are masked."""
    query = request.GET.get("q", "").strip()[:60]
    rows = []
    if query:
        for student in students_matching(query):
            full = can_see_personal_data(request.user, student)
            if full:
                audit_personal_data_view(actor=request.user, subject=student, what="student lookup")
            rows.append(
                {
                    "name": display_name_for(request.user, student),
                    "school": display_school_for(request.user, student),
                    "phone": display_phone_for(request.user, student),
                    "level": student.student_profile.get_level_display(),
                    "masked": not full,
                }
            )
    return render(request, "accounts/student_lookup.html", {"query": query, "rows": rows})
