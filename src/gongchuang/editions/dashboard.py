"""Dashboard panels of the edition: what each role can do in the open windows, and the
committee's edition settings."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import dashboard_panel, nav_for, uses_side_nav

from .enums import Step
from .selectors import open_and_upcoming_windows


@dashboard_panel(roles=set(Role.values), template="editions/panels/todo.html", order=0)
def todo_panel(request, edition):
    """First on the start page: for staff, what waits for them (the counts of their
    navigation, read once per request) and the deadlines, soonest first; for the others
    the deadlines only."""
    if edition is None:
        return None
    staff = uses_side_nav(request.user.roles)
    waiting = []
    if staff:
        for entry in nav_for(request):
            waiting += [c for c in entry.children if c.count] if entry.is_group else []
    return {
        "edition": edition,
        "staff": staff,
        "waiting": waiting,
        "windows": open_and_upcoming_windows(edition),
    }


@dashboard_panel(roles={"committee"}, template="editions/panels/edition.html", order=5)
def edition_panel(request, edition):
    if edition is None:
        return None
    return {"edition": edition, "url": reverse("editions:settings", args=[edition.slug])}


# What each role does in each step (shown while that step's window is open).
ROLE_STEPS = {
    Role.STUDENT: [(Step.SUBMISSION, _("Create and submit your work (one work per edition)."))],
    Role.TEACHER: [
        (Step.SUBMISSION, _("Submit an AI innovative teaching case, or advise students' works.")),
    ],
    Role.SCHOOL_COORDINATOR: [
        (Step.SUBMISSION, _("Check and confirm your school's entries.")),
        (
            Step.SCHOOL_CONFIRMATION,
            _("Confirm your school's submitted works, or return them with a reason."),
        ),
    ],
    Role.UNIT_ORGANIZER: [
        (
            Step.UNIT_REVIEW,
            _("Review qualifications, screen and recommend works within the quotas."),
        ),
    ],
    Role.COMMITTEE: [
        (Step.CITY_REVIEW, _("Review the works recommended by the units.")),
        (Step.EXPERT_REVIEW, _("Form juries, assign works to experts and follow the review.")),
        (Step.FINALIST_ANNOUNCEMENT, _("Select and announce the finalists.")),
    ],
    Role.EXPERT: [(Step.EXPERT_REVIEW, _("Score the works assigned to you."))],
}


@dashboard_panel(roles=set(Role.values), template="editions/panels/role_actions.html", order=1)
def role_actions(request, edition):
    if edition is None:
        return None
    rows = []
    for role in sorted(request.user.roles):
        for step, text in ROLE_STEPS.get(role, []):
            window = edition.window(step)
            if window is None:
                continue
            if step == Step.SCHOOL_CONFIRMATION and not edition.school_confirmation:
                continue  # the option is off: its window (kept) asks nothing of anyone
            rows.append(
                {
                    "role": Role(role).label,
                    "text": text,
                    "window": window,
                    "open": window.is_open(),
                }
            )
    return {"rows": rows, "memberships": request.user.memberships.select_related("unit", "school")}
