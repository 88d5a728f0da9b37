"""Reads for the expert: the pledge, the review queue, a review's rubric and whether it is final."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from gongchuang.accounts.models import User
from gongchuang.editions.models import Category, Edition

from ..enums import PLEDGE_VERSION, ReviewStatus
from ..models import Assignment, ConfidentialityPledge, Jury, Review


def has_pledged(user: User, edition: Edition) -> bool:
    return ConfidentialityPledge.objects.filter(
        expert=user, edition=edition, text_version=PLEDGE_VERSION
    ).exists()


def assignments_for_expert(user: User, edition: Edition) -> QuerySet[Assignment]:
    """The expert's assignments in published juries (the only way an expert reaches a work)."""
    return (
        Assignment.objects.filter(
            expert=user, forbidden=False, jury__edition=edition, jury__published_at__isnull=False
        )
        .select_related("work__category", "jury__category")
        .prefetch_related(Prefetch("review", queryset=Review.objects.all()))
        .order_by("jury__category__order", "pk")
    )


def assignment_for_expert_work(user: User, edition: Edition, work_id: int) -> Assignment:
    """The expert's assignment for ``work_id``, else 404 (unassigned and conflicted alike)."""
    found = (
        assignments_for_expert(user, edition)
        .filter(work_id=work_id)
        .select_related("work__category", "jury__edition")
        .first()
    )
    if found is None:
        raise Http404
    return found


def expert_progress(user: User, edition: Edition) -> dict:
    qs = assignments_for_expert(user, edition)
    counts = qs.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(review__status=ReviewStatus.SUBMITTED)),
        drafts=Count("pk", filter=Q(review__status=ReviewStatus.DRAFT)),
    )
    counts["percent"] = round(100 * counts["submitted"] / counts["total"]) if counts["total"] else 0
    return counts


def rubric_of(category: Category):
    return list(category.rubric.all())


def review_is_final(review: Review | None, jury: Jury) -> bool:
    """A submitted review in a jury that shows peers' scores can no longer change: having
    seen the others' scores (peers.py), the expert could anchor their own after all."""
    return review is not None and review.is_submitted and jury.peer_scores_visible
