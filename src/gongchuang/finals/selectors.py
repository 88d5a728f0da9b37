"""Reads of the offline final, one per audience."""

import datetime

from django.db.models import Prefetch, QuerySet

from gongchuang.accounts.enums import Role
from gongchuang.editions.models import Edition, RubricDimension
from gongchuang.editions.selectors import current_edition
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from .enums import Attendance
from .models import (
    Certificate,
    CertificateBatch,
    FinalEvent,
    FinalResult,
    OnsiteTask,
    Score,
    Session,
    SessionParticipant,
    TaskSubmission,
)

FINAL_STATES = (WorkState.FINALIST, WorkState.AWARDED, WorkState.PARTICIPATED)


def event_for(edition: Edition | None) -> FinalEvent | None:
    if edition is None:
        return None
    return FinalEvent.objects.filter(edition=edition).select_related("edition").first()


def current_event() -> FinalEvent | None:
    return event_for(current_edition())


def sessions_for_judge(user, *, event: FinalEvent) -> QuerySet[Session]:
    return (
        Session.objects.filter(event=event, judge_links__judge=user)
        .select_related("category")
        .order_by("starts_at", "room")
    )


def sessions_judged_by(user, *, edition: Edition) -> bool:
    """Whether ``user`` judges a session of ``edition``'s final (one query)."""
    return Session.objects.filter(event__edition=edition, judge_links__judge=user).exists()


def session_scoring_sheet(session: Session, judge) -> list[dict]:
    """Finalists of a session in running order with rubric and the judge's saved sheets."""
    participants = (
        SessionParticipant.objects.filter(session=session)
        .select_related("work__category")
        .prefetch_related(
            Prefetch(
                "work__category__rubric",
                queryset=RubricDimension.objects.order_by("order", "pk"),
            )
        )
    )
    saved = {(s.work_id, s.kind): s for s in Score.objects.filter(session=session, judge=judge)}
    submissions: dict[int, list[TaskSubmission]] = {}
    for sub in TaskSubmission.objects.filter(
        task__session__event_id=session.event_id, work__final_sessions__session=session
    ).select_related("task"):
        submissions.setdefault(sub.work_id, []).append(sub)
    rows = []
    for participant in participants:
        work = participant.work
        sheets = []
        for kind in session.score_kinds:
            score = saved.get((work.pk, kind))
            values = score.values if score else {}
            sheets.append(
                {
                    "kind": kind,
                    "score": score,
                    "dims": [
                        {"dim": d, "value": values.get(str(d.pk), "")}
                        for d in work.category.rubric.all()
                    ],
                }
            )
        rows.append(
            {
                "order": participant.order,
                "work": work,
                "sheets": sheets,
                "submissions": submissions.get(work.pk, []),
            }
        )
    return rows


def final_works_of(user, *, edition: Edition | None) -> QuerySet[Work]:
    """The user's own works (as author or advisor) that reached the final."""
    if edition is None or not user.is_authenticated:
        return Work.objects.none()
    return (
        Work.objects.filter(edition=edition, authorships__user=user, state__in=FINAL_STATES)
        .select_related("category")
        .distinct()
    )


def certificates_visible_to(user, *, event: FinalEvent) -> QuerySet[Certificate]:
    """Committee: all; unit organizer: works of own units; everyone else: own certificates."""
    qs = Certificate.objects.filter(event=event, revoked_at__isnull=True).select_related(
        "work", "user", "work__unit"
    )
    if user.is_committee:
        return qs
    unit_ids = user.unit_ids_for(Role.UNIT_ORGANIZER)
    if unit_ids:
        return qs.filter(work__unit_id__in=unit_ids)
    return qs.filter(user=user)


def certificate_batches_visible_to(user, *, event: FinalEvent) -> QuerySet[CertificateBatch]:
    """Committee: every batch; unit organizer: the batches of their units."""
    qs = CertificateBatch.objects.filter(event=event).select_related("unit", "requested_by")
    if user.is_committee:
        return qs
    return qs.filter(unit_id__in=user.unit_ids_for(Role.UNIT_ORGANIZER))


def results_by_group(event: FinalEvent) -> list[tuple[str, list[FinalResult]]]:
    results = FinalResult.objects.filter(event=event).select_related("work", "work__unit")
    groups: dict[str, list[FinalResult]] = {}
    for r in sorted(results, key=lambda r: (r.group_label, r.rank or 10**6, r.work.code)):
        groups.setdefault(r.group_label, []).append(r)
    return list(groups.items())


def unfinished_judges(event: FinalEvent) -> list[dict]:
    """Judges who have not completed every sheet of their sessions, with the missing count."""
    complete = set(
        Score.objects.filter(session__event=event, is_complete=True).values_list(
            "session_id", "judge_id", "work_id", "kind"
        )
    )
    sessions = (
        Session.objects.filter(event=event)
        .prefetch_related("judge_links__judge", "participants")
        .order_by("starts_at")
    )
    missing: dict[tuple[int, int], dict] = {}
    for session in sessions:
        for link in session.judge_links.all():
            for participant in session.participants.all():
                for kind in session.score_kinds:
                    if (session.pk, link.judge_id, participant.work_id, kind) not in complete:
                        row = missing.setdefault(
                            (session.pk, link.judge_id),
                            {"session": session, "judge": link.judge, "missing": 0},
                        )
                        row["missing"] += 1
    return list(missing.values())


def published_results(event: FinalEvent) -> list[tuple[str, list[FinalResult]]]:
    """Star-level works per group, for the public results page (published events only).

    Only works still awarded: one whose award an upheld objection took away (or that was
    disqualified later) keeps its computed row but is not listed."""
    if not event.is_published:
        return []
    groups = [
        (label, [r for r in rows if r.star_level and r.work.state == WorkState.AWARDED])
        for label, rows in results_by_group(event)
    ]
    return [(label, rows) for label, rows in groups if rows]


def task_deadline(*, task: OnsiteTask, work: Work) -> datetime.datetime | None:
    """Server-side deadline of ``work`` for ``task``: release + time limit + its extensions."""
    if task.base_deadline is None:
        return None
    extra = sum(e.minutes for e in task.extensions.all() if e.work_id == work.pk)
    return task.base_deadline + datetime.timedelta(minutes=extra)


def withdrawn_work_ids(event: FinalEvent) -> set[int]:
    """Works withdrawn from the final: they get no result (``results_compute``, ``verify``)."""
    return set(
        event.attendances.filter(status=Attendance.WITHDRAWN).values_list("work_id", flat=True)
    )


def growth_report_works(user) -> QuerySet[Work]:
    """The user's works (accepted author or advisor) whose edition's final results are
    published, newest edition first: each has a growth report (``growth_report``)."""
    if not user.is_authenticated:
        return Work.objects.none()
    return (
        Work.objects.filter(
            authorships__user=user,
            authorships__accepted_at__isnull=False,
            edition__final_event__results_published_at__isnull=False,
        )
        .exclude(state=WorkState.DRAFT)
        .select_related("edition", "category")
        .distinct()
        .order_by("-edition__year", "code")
    )
