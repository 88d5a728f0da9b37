from django.urls import reverse

from gongchuang.common.registry import dashboard_panel
from gongchuang.submissions.enums import WorkState

from .scope import Filters, report_scope, report_works


@dashboard_panel(
    roles={"committee", "unit_organizer"}, template="reports/panels/reports.html", order=80
)
def reports_panel(request, edition):
    scope = report_scope(request.user)
    if edition is None or scope is None:
        return None
    works = report_works(scope, edition=edition, filters=Filters())
    return {
        "works": works.count(),
        "submitted": works.exclude(state=WorkState.DRAFT).count(),
        "url": reverse("reports:dashboard"),
    }
