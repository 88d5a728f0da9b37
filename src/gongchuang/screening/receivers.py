"""Start the automatic pre-checks when a work is submitted (to its unit, or to its school
first when the edition asks for school confirmation)."""

import logging

from django.dispatch import receiver

from gongchuang.submissions.enums import SUBMITTED_STATES, WorkState
from gongchuang.submissions.signals import work_state_changed

from .enums import Decision
from .models import Review
from .services import precheck_request

log = logging.getLogger(__name__)


# An author submitting (again) always gets a fresh pre-check; the reviews are looked at
# only when the work came back to "submitted" from a later state.
_AUTHOR_SUBMITS_FROM = frozenset({WorkState.DRAFT, WorkState.RETURNED, WorkState.SCHOOL_RETURNED})


@receiver(work_state_changed, dispatch_uid="screening_precheck_on_submit")
def _precheck_on_submit(sender, work, actor, reason, source=None, **kwargs):
    if work.state not in SUBMITTED_STATES:
        return
    if source == WorkState.AWAITING_SCHOOL:
        return  # the school confirmed it: checked on submission, its content is unchanged
    if source not in _AUTHOR_SUBMITS_FROM and _back_from_recommendation(work):
        return
    try:
        precheck_request(work=work)
    except Exception:  # the submission itself has succeeded; never undo it
        log.exception("could not queue the pre-check of work %s", work.pk)


def _back_from_recommendation(work) -> bool:
    """True when the work became submitted because its recommendation was withdrawn or the
    city returned it: its content has not changed, so the pre-check need not run again."""
    last = Review.objects.filter(work=work).order_by("-created_at", "-pk").first()
    return bool(
        last
        and last.decision in (Decision.UNRECOMMEND, Decision.RETURN_TO_UNIT)
        and work.state_changed_at
        and last.created_at >= work.state_changed_at
    )
