"""Turn domain events into notifications (wording from the committee-editable templates)."""

from django.dispatch import receiver
from django.urls import NoReverseMatch

from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.signals import team_invitation_created, work_state_changed

from .defaults import TEMPLATES
from .services import notify_kind

# Advisors hear about these too; the other outcomes concern the authors only.
_ADVISORS_TOO = {
    WorkState.FINALIST,
    WorkState.AWARDED,
    WorkState.RETURNED,
    WorkState.SCHOOL_RETURNED,
}


@receiver(work_state_changed)
def _notify_authors(sender, work, actor, reason, source=None, **kwargs):
    kind = f"work.{work.state}"
    if work.state == WorkState.SUBMITTED and source == WorkState.AWAITING_SCHOOL:
        kind = "work.school_confirmed"  # on its way to the unit, confirmed by the school
    if kind not in TEMPLATES:
        return
    if work.state == WorkState.SUBMITTED and source == WorkState.RECOMMENDED:
        # Back in the unit's queue (recommendation withdrawn or returned by the city):
        # "your work has been submitted" would mislead the authors.
        return
    roles = [AuthorRole.AUTHOR] + ([AuthorRole.ADVISOR] if work.state in _ADVISORS_TOO else [])
    people = [a.user for a in work.authorships.select_related("user").filter(role__in=roles)]
    notify_kind(
        recipients=people,
        kind=kind,
        context={
            "title": work.title,
            "code": work.code or "—",
            "state": work.get_state_display(),
            "reason": reason or "—",
        },
        url=_work_url(work),
    )


def _work_url(work) -> str:
    # A missing page must not stop the message (it runs after the change committed).
    try:
        return work.get_absolute_url()
    except NoReverseMatch:
        return ""


@receiver(team_invitation_created)
def _notify_invitee(sender, authorship, inviter, **kwargs):
    notify_kind(
        recipients=[authorship.user],
        kind="team.invitation",
        context={
            "inviter": inviter.display_name,
            "title": authorship.work.title,
            "role": str(AuthorRole(authorship.role).label),
        },
        url="/works/",
    )
