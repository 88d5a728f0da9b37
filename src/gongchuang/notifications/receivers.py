"""Turn domain events into notifications."""

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.signals import work_state_changed

from .services import notify

_MESSAGES = {
    WorkState.SUBMITTED: _l("Your work “%(title)s” has been submitted. Its code is %(code)s."),
    WorkState.RETURNED: _l("Your work “%(title)s” was returned for revision. Reason: %(reason)s"),
    WorkState.UNIT_REJECTED: _l(
        "Your work “%(title)s” did not pass the unit's qualification review. Reason: %(reason)s"
    ),
    WorkState.RECOMMENDED: _l(
        "Your work “%(title)s” has been recommended by your unit to the city review."
    ),
    WorkState.QUALIFIED: _l(
        "Your work “%(title)s” passed the city review and goes to expert review."
    ),
    WorkState.CITY_REJECTED: _l(
        "Your work “%(title)s” did not pass the city review. Reason: %(reason)s"
    ),
    WorkState.FINALIST: _l(
        "Congratulations! Your work “%(title)s” is a finalist and is invited to the final."
    ),
    WorkState.NOT_SELECTED: _l(
        "Your work “%(title)s” was not selected for the final. Thank you for taking part."
    ),
    WorkState.AWARDED: _l("Congratulations! Your work “%(title)s” has received an award."),
}


@receiver(work_state_changed)
def _notify_authors(sender, work, actor, reason, **kwargs):
    template = _MESSAGES.get(work.state)
    if template is None:
        return
    people = [
        a.user for a in work.authorships.select_related("user").filter(role=AuthorRole.AUTHOR)
    ]
    if work.state in (WorkState.FINALIST, WorkState.AWARDED, WorkState.RETURNED):
        people += [
            a.user for a in work.authorships.select_related("user").filter(role=AuthorRole.ADVISOR)
        ]
    body = str(template) % {"title": work.title, "code": work.code, "reason": reason or "—"}
    notify(
        recipients=people,
        kind=f"work.{work.state}",
        title=_("Work “%(title)s”: %(state)s")
        % {"title": work.title, "state": work.get_state_display()},
        body=body,
        url=work.get_absolute_url(),
    )
