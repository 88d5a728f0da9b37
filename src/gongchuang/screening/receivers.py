"""Start the automatic pre-checks when a work is submitted."""

import logging

from django.dispatch import receiver

from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.signals import work_state_changed

from .enums import PreCheckStatus
from .models import PreCheck

log = logging.getLogger(__name__)


@receiver(work_state_changed, dispatch_uid="screening_precheck_on_submit")
def _precheck_on_submit(sender, work, actor, reason, **kwargs):
    if work.state != WorkState.SUBMITTED:
        return
    from .tasks import precheck_work

    try:
        PreCheck.objects.update_or_create(
            work=work, defaults={"status": PreCheckStatus.PENDING, "findings": [], "error": ""}
        )
        precheck_work.enqueue(work.pk)
    except Exception:
        log.exception("could not queue the pre-check of work %s", work.pk)
