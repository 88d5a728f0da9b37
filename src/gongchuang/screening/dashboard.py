"""Dashboard panels: the organizer's pending works and quotas, the committee's progress."""

from gongchuang.accounts.access import can
from gongchuang.accounts.enums import Role
from gongchuang.common.registry import dashboard_panel
from gongchuang.submissions.enums import WorkState

from . import selectors


@dashboard_panel(roles={Role.UNIT_ORGANIZER}, template="screening/panels/unit.html", order=30)
def unit_panel(request, edition):
    if edition is None or not can(request.user, "screening.unit_review"):
        return None
    queue = selectors.unit_queue(request.user, edition=edition)
    quotas = []
    for unit_id in sorted(request.user.unit_ids_for(Role.UNIT_ORGANIZER)):
        quotas += selectors.quota_usage(edition=edition, unit_id=unit_id)
    return {"pending": queue.filter(state=WorkState.SUBMITTED).count(), "quotas": quotas}


@dashboard_panel(roles={Role.COMMITTEE}, template="screening/panels/city.html", order=31)
def city_panel(request, edition):
    if edition is None or not can(request.user, "screening.city_review"):
        return None
    rows = selectors.unit_progress(edition=edition)
    recommended = selectors.city_queue(request.user, edition=edition).filter(
        state=WorkState.RECOMMENDED
    )
    return {"recommended": recommended.count(), "behind": sum(1 for r in rows if r.is_behind)}
