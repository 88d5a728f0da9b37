"""Writes of the expert review: experts, conflicts, juries, assignments, reviews, finalists.

Every service is keyword-only, transactional and audited. Permission checks
are the caller's (views), except the rules of the activity itself (review
window, conflicts, blind review), which live here.

One module per entity (``experts``, ``juries``, ``assignments``, ``reviews``,
``finalists``); every service is re-exported here, so
``from gongchuang.judging.services import x`` and ``services.x`` keep working.
Reads are ``judging/selectors``, pure arithmetic ``judging/scoring.py``.
"""

from .assignments import (
    assignment_add,
    assignment_forbid,
    assignment_pin,
    assignment_request_extra,
)
from .discussion import consensus_note_save, discussion_post, jury_set_discussion
from .experts import conflict_declare, expert_upsert, pledge_accept
from .finalists import finalists_approve
from .juries import (
    experts_remind,
    jury_create,
    jury_publish,
    jury_set_members,
    jury_set_peer_scores_visible,
    jury_solve,
)
from .practice import (
    practice_bias_apply,
    practice_score_submit,
    practice_work_add,
    practice_work_remove,
)
from .reviews import review_draft_save, review_save

__all__ = [
    "assignment_add",
    "assignment_forbid",
    "assignment_pin",
    "assignment_request_extra",
    "conflict_declare",
    "consensus_note_save",
    "discussion_post",
    "expert_upsert",
    "experts_remind",
    "finalists_approve",
    "jury_create",
    "jury_publish",
    "jury_set_discussion",
    "jury_set_members",
    "jury_set_peer_scores_visible",
    "jury_solve",
    "pledge_accept",
    "practice_bias_apply",
    "practice_score_submit",
    "practice_work_add",
    "practice_work_remove",
    "review_draft_save",
    "review_save",
]
