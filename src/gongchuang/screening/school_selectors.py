"""Reads of the school confirmation (学校确认): the coordinator's queue and the schools'
progress that the unit organizer sees. Every work list starts from ``works_visible_to``."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import School
from gongchuang.editions.models import Edition
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.selectors import works_visible_to

from .enums import SCHOOL_QUEUE_STATES, Decision, Stage
from .models import Review
from .selectors import with_people


def school_queue(user, *, edition: Edition) -> QuerySet[Work]:
    """The works of the coordinator's school(s) submitted at least once (never drafts)."""
    return works_visible_to(user, edition=edition).filter(
        school_id__in=user.school_ids_for(Role.SCHOOL_COORDINATOR), state__in=SCHOOL_QUEUE_STATES
    )


def work_for_school(user, *, edition: Edition, pk: int) -> Work:
    """A work of the coordinator's school(s), or 404 (other schools' works do not exist)."""
    qs = school_queue(user, edition=edition).select_related(
        "category", "school", "unit", "edition", "precheck"
    )
    return get_object_or_404(with_people(qs.prefetch_related("files")), pk=pk)


def school_reviews(work: Work) -> list[Review]:
    """The school's earlier decisions on ``work`` (newest first)."""
    return list(work.screening_reviews.filter(stage=Stage.SCHOOL).select_related("reviewer"))


@dataclass(frozen=True)
class SchoolProgress:
    school: School
    waiting: int
    confirmed: int
    returned: int
    coordinators: int

    @property
    def is_behind(self) -> bool:
        return self.waiting > 0


def school_progress(*, edition: Edition, unit_ids) -> list[SchoolProgress]:
    """Per school of ``unit_ids`` with submitted works: waiting for the school, confirmed (with
    the unit or later) and returned by the school (still with the authors), and how many
    coordinators it has (none: its works cannot be confirmed)."""
    confirmed = Exists(
        Review.objects.filter(work=OuterRef("pk"), stage=Stage.SCHOOL, decision=Decision.CONFIRM)
    )
    gone = [WorkState.AWAITING_SCHOOL, WorkState.SCHOOL_RETURNED, WorkState.WITHDRAWN]
    rows = {
        r["school"]: r
        for r in Work.objects.filter(edition=edition, unit_id__in=unit_ids)
        .exclude(state=WorkState.DRAFT)
        .values("school")
        .annotate(
            waiting=Count("pk", filter=Q(state=WorkState.AWAITING_SCHOOL)),
            confirmed=Count("pk", filter=Q(confirmed) & ~Q(state__in=gone)),
            returned=Count("pk", filter=Q(state=WorkState.SCHOOL_RETURNED)),
        )
    }
    schools = (
        School.objects.filter(pk__in=list(rows))
        .annotate(
            coordinators=Count(
                "membership", filter=Q(membership__role=Role.SCHOOL_COORDINATOR), distinct=True
            )
        )
        .order_by("name")
    )
    return [
        SchoolProgress(
            school=school,
            waiting=rows[school.pk]["waiting"],
            confirmed=rows[school.pk]["confirmed"],
            returned=rows[school.pk]["returned"],
            coordinators=school.coordinators,
        )
        for school in schools
    ]
