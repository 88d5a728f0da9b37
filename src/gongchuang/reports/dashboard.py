from django.db.models import Sum
from django.urls import reverse

from gongchuang.common.registry import dashboard_panel
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import WorkCount

from .scope import Filters, report_scope, work_condition


@dashboard_panel(
    roles={"committee", "unit_organizer"}, template="reports/panels/reports.html", order=80
)
def reports_panel(request, edition):
    scope = report_scope(request.user)
    if edition is None or scope is None:
        return None
    # The kept figures (submissions.counts), not a count of the edition's works.
    rows = WorkCount.objects.filter(work_condition(scope, Filters()), edition=edition, n__gt=0)
    return {
        "works": rows.aggregate(n=Sum("n"))["n"] or 0,
        "submitted": rows.exclude(state=WorkState.DRAFT).aggregate(n=Sum("n"))["n"] or 0,
        "url": reverse("reports:dashboard"),
    }
