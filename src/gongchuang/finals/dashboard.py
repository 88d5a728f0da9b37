"""Dashboard panels: finalists (schedule, attendance, results) and judges (sessions)."""

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import dashboard_panel

from . import selectors
from .views.finalist import finalist_overview


@dashboard_panel(
    roles={Role.STUDENT, Role.TEACHER}, template="finals/panels/finalist.html", order=40
)
def finalist_panel(request, edition):
    if edition is None:
        return None
    event = selectors.event_for(edition)
    rows = finalist_overview(request.user, edition, event)
    if not rows:
        return None
    return {"event": event, "rows": rows}


@dashboard_panel(roles={Role.EXPERT, Role.COMMITTEE}, template="finals/panels/judge.html", order=45)
def judge_panel(request, edition):
    event = selectors.event_for(edition)
    if event is None:
        return None
    sessions = list(selectors.sessions_for_judge(request.user, event=event))
    if not sessions:
        return None
    return {"event": event, "sessions": sessions}
