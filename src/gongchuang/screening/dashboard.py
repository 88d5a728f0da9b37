"""Dashboard panels: the coordinator's works to confirm, the organizer's pending works and
quotas, the committee's progress."""

from gongchuang.accounts.access import can
from gongchuang.accounts.enums import Role
from gongchuang.common.registry import dashboard_panel
from gongchuang.editions.enums import Step
from gongchuang.submissions.enums import WorkState

from . import school_selectors, selectors


@dashboard_panel(roles={Role.SCHOOL_COORDINATOR}, template="screening/panels/school.html", order=26)
def school_panel(request, edition):
    """The coordinator's works waiting for confirmation (only when the edition asks for it)."""
    if edition is None or not can(request.user, "screening.school_confirm"):
        return None
    queue = school_selectors.school_queue(request.user, edition=edition)
    waiting = queue.filter(state=WorkState.AWAITING_SCHOOL).count()
    if not edition.school_confirmation and not waiting:
        return None
    return {"waiting": waiting, "window": edition.window(Step.SCHOOL_CONFIRMATION)}


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
