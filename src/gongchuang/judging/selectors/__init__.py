"""Reads of the expert review, one module per audience.

- ``experts``: the expert's pledge, queue and review form;
- ``juries``: the committee's juries and assignment overview;
- ``ranking``: the calibrated ranking, finalist preview and approved lists;
- ``results``: what later phases (finals, the authors' dashboard) read.

Every public name is re-exported here, so ``from gongchuang.judging.selectors import x``
and ``selectors.x`` keep working. Pure arithmetic lives in ``judging/scoring.py``.
"""

from .discussion import (
    COMMITTEE,
    EXPERT,
    LEAD,
    Distribution,
    PostView,
    consensus_note,
    consensus_notes,
    discussion_access,
    discussion_counts,
    discussion_posts,
    expert_juries,
    lead_allowed_work_ids,
    led_juries,
    score_distribution,
    score_distributions,
)
from .experts import (
    assignment_for_expert_work,
    assignments_for_expert,
    expert_progress,
    has_pledged,
    review_is_final,
    rubric_of,
)
from .juries import (
    ExpertLoad,
    JuryOverview,
    WorkLine,
    expert_loads,
    experts_by_id,
    juries_for_edition,
    jury_members_page,
    jury_overview,
    jury_work_lines,
)
from .ranking import (
    DEFAULT_DISAGREEMENT,
    N_BOOT,
    RIDGE,
    FinalistPreview,
    Ranking,
    RankingSummary,
    RankRow,
    finalist_preview,
    finalists_for_edition,
    jury_ranking,
    offset_rows,
    ranking_rows,
    ranking_summary,
)
from .results import comments_to_authors, final_online_scores, jury_for_work

__all__ = [
    "COMMITTEE",
    "DEFAULT_DISAGREEMENT",
    "EXPERT",
    "LEAD",
    "N_BOOT",
    "RIDGE",
    "Distribution",
    "ExpertLoad",
    "FinalistPreview",
    "JuryOverview",
    "PostView",
    "RankRow",
    "Ranking",
    "RankingSummary",
    "WorkLine",
    "assignment_for_expert_work",
    "assignments_for_expert",
    "comments_to_authors",
    "consensus_note",
    "consensus_notes",
    "discussion_access",
    "discussion_counts",
    "discussion_posts",
    "expert_juries",
    "expert_loads",
    "expert_progress",
    "experts_by_id",
    "final_online_scores",
    "finalist_preview",
    "finalists_for_edition",
    "has_pledged",
    "juries_for_edition",
    "jury_for_work",
    "jury_members_page",
    "jury_overview",
    "jury_ranking",
    "jury_work_lines",
    "lead_allowed_work_ids",
    "led_juries",
    "offset_rows",
    "ranking_rows",
    "ranking_summary",
    "review_is_final",
    "rubric_of",
    "score_distribution",
    "score_distributions",
]
