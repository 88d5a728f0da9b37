"""Staff tools: creating staff accounts from a sheet, the staff list, finding a student."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongchuang.common.spreadsheets import template_response

from ..access import permission_required
from ..enums import STAFF_ROLES
from ..models import User
from ..onboarding import onboarding_rows, with_invitation
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
            staff_import(report=report, actor=request.user, request=request)
            messages.success(
                request, _("%(n)s accounts were created.") % {"n": len(report.created)}
            )
    return render(request, "accounts/staff_import.html", {"report": report, "columns": HEADERS})


@permission_required("accounts.import_staff")
def staff_list(request):
    """Committee: staff accounts with their invitation status, resend and credentials sheet."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:60]
    pending = request.GET.get("pending") == "1"
    people = User.objects.filter(memberships__role__in=STAFF_ROLES).distinct()
    if query:
        people = people.filter(Q(real_name__icontains=query) | Q(username__icontains=query))
    if pending:
        people = people.filter(last_login__isnull=True)
    people = with_invitation(people.prefetch_related("memberships").order_by("real_name", "pk"))
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    query_string = urlencode(
        {k: v for k, v in (("q", query), ("pending", "1" if pending else "")) if v}
    )
    context = {
        "page_obj": page,
        "rows": onboarding_rows(request.user, page.object_list),
        "query": query,
        "pending": pending,
        "query_string": query_string,
    }
    return render(request, "accounts/staff_list.html", context)


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
