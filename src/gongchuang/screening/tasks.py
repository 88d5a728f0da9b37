"""Background work of the screening app."""

import logging

from django_tasks import task

from .prechecks import fingerprint_work as _fingerprint_work
from .prechecks import mark_failed, run_prechecks

log = logging.getLogger(__name__)


@task()
def precheck_work(work_id: int) -> str:
    """Run the automatic pre-checks of a submitted work (see ``prechecks``)."""
    try:
        precheck = run_prechecks(work_id)
    except Exception as exc:
        log.exception("pre-check of work %s failed", work_id)
        mark_failed(work_id, f"{type(exc).__name__}: {exc}")
        return "failed"
    return f"{len(precheck.findings)} finding(s)"


@task()
def fingerprint_work(work_id: int) -> str:
    """Fingerprint and index a work that is not pre-checked (an imported showcase work)."""
    _fingerprint_work(work_id)
    return "indexed"
