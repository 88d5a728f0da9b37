"""Writes of the offline final: keyword-only, audited, transactional.

Permission checks are the caller's, except that services taking ``user`` check
that the person is an author or advisor of the work.

One module per part of the final (``programme``, ``attendance``, ``onsite_tasks``,
``scores``, ``results``, ``certificate_batches``, ``final_day``); every public service is importable
from here too, as are the calculations callers have long found here (``sheet_total``,
``combined_score``, ``online_scores`` from ``scoring``) and ``task_deadline`` (a read,
now in ``selectors``).
"""

from ..scoring import combined_score, online_scores, sheet_total
from ..selectors import task_deadline
from .attendance import attendance_answer, checkin_by_code
from .certificate_batches import certificate_batch_start
from .exchange import (
    exchange_cancel,
    exchange_capacity_set,
    exchange_case_remove,
    exchange_case_route,
    exchange_signup,
    guidance_book,
    guidance_cancel,
    guidance_notes_save,
    guidance_slot_create,
)
from .final_day import (
    judge_remind,
    screen_token_regenerate,
    screen_token_revoke,
    session_advance,
    session_set_current,
)
from .onsite_tasks import task_create, task_extend, task_release, task_submit
from .programme import (
    EVENT_FIELDS,
    event_create,
    event_update,
    session_add_judge,
    session_add_participant,
    session_create,
)
from .results import (
    results_compute,
    results_lock,
    results_publish,
    results_unlock,
    special_award_create,
)
from .scores import score_save, scores_sync

__all__ = [
    "EVENT_FIELDS",
    "attendance_answer",
    "certificate_batch_start",
    "checkin_by_code",
    "combined_score",
    "event_create",
    "event_update",
    "exchange_cancel",
    "exchange_capacity_set",
    "exchange_case_remove",
    "exchange_case_route",
    "exchange_signup",
    "guidance_book",
    "guidance_cancel",
    "guidance_notes_save",
    "guidance_slot_create",
    "judge_remind",
    "online_scores",
    "results_compute",
    "results_lock",
    "results_publish",
    "results_unlock",
    "score_save",
    "scores_sync",
    "screen_token_regenerate",
    "screen_token_revoke",
    "session_add_judge",
    "session_add_participant",
    "session_advance",
    "session_create",
    "session_set_current",
    "sheet_total",
    "special_award_create",
    "task_create",
    "task_deadline",
    "task_extend",
    "task_release",
    "task_submit",
]
