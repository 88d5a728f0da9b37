"""Experts, juries, assignments, reviews and finalist lists (phase 2 expert review).

A package split by topic; every model is re-exported here, so ``judging.models.Jury``
and ``from gongchuang.judging.models import ...`` keep working.
"""

from .discussion import ConsensusNote, DiscussionPost
from .experts import ConfidentialityPledge, ConflictDeclaration, ExpertProfile
from .finalists import FinalistEntry, FinalistList
from .juries import Assignment, ExpertCount, Jury, JuryCount, Review
from .practice import PracticeScore, PracticeWork

__all__ = [
    "Assignment",
    "ConfidentialityPledge",
    "ConflictDeclaration",
    "ConsensusNote",
    "DiscussionPost",
    "ExpertCount",
    "ExpertProfile",
    "FinalistEntry",
    "FinalistList",
    "Jury",
    "JuryCount",
    "PracticeScore",
    "PracticeWork",
    "Review",
]
