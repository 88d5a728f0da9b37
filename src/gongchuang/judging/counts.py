"""The review progress summary rows (``JuryCount``, ``ExpertCount``), kept in step.

Every write of assignments or reviews runs inside ``tracked(scope)``: the figures of the
scope's assignments are read before and after the write (in its transaction) and the
difference is added to the summary rows (``common.db.tally.bump``: an increment in the
database, so concurrent writers add up). The scope must hold every assignment of each
(jury, work) pair it changes — the "works" figure counts distinct works. The assignment
services, the review service, and the deletion of a work or a person (``pre_delete``
below, for the cascade) use it; bulk writers (the load generator) call :func:`rebuild` afterwards.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from gongchuang.accounts.models import User
from gongchuang.common.db.tally import add_deltas, bump
from gongchuang.submissions.models import Work

from .enums import ReviewStatus
from .models import Assignment, ExpertCount, Jury, JuryCount

JURY_KEY = ("jury_id", "unit_id", "category_id")
EXPERT_KEY = ("jury_id", "expert_id", "category_id")
JURY_COUNTS = ("assigned", "done", "works")
EXPERT_COUNTS = ("assigned", "done")


def _done() -> Count:
    return Count("id", filter=Q(review__status=ReviewStatus.SUBMITTED))


def figures(scope: QuerySet[Assignment]) -> tuple[dict, dict]:
    """({jury key: {assigned, done, works}}, {expert key: {assigned, done}}) of ``scope``."""
    live = scope.filter(forbidden=False).order_by()
    juries = {
        (r["jury_id"], r["work__unit_id"], r["work__category_id"]): {c: r[c] for c in JURY_COUNTS}
        for r in live.values("jury_id", "work__unit_id", "work__category_id").annotate(
            assigned=Count("id"), done=_done(), works=Count("work_id", distinct=True)
        )
    }
    experts = {
        (r["jury_id"], r["expert_id"], r["work__category_id"]): {c: r[c] for c in EXPERT_COUNTS}
        for r in live.values("jury_id", "expert_id", "work__category_id").annotate(
            assigned=Count("id"), done=_done()
        )
    }
    return juries, experts


def _apply(before: tuple[dict, dict], after: tuple[dict, dict]) -> None:
    for model, keys, old, new in (
        (JuryCount, JURY_KEY, before[0], after[0]),
        (ExpertCount, EXPERT_KEY, before[1], after[1]),
    ):
        changes: dict = {}
        for key, values in old.items():
            add_deltas(changes, key, values, -1)
        for key, values in new.items():
            add_deltas(changes, key, values, 1)
        bump(model, keys, changes)


@contextmanager
def tracked(scope: QuerySet[Assignment]):
    """Keep the summary rows right across the writes of the ``with`` block (in a
    transaction: the block's writes and the rows' change commit together)."""
    with transaction.atomic():
        before = figures(scope)
        yield
        _apply(before, figures(scope))


def pairs_of(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Every assignment of the juries × works of ``assignments``: a scope for
    :func:`tracked` holding each changed (jury, work) pair whole (the works figure)."""
    rows = list(assignments.values_list("jury_id", "work_id"))
    return Assignment.objects.filter(
        jury_id__in={j for j, _w in rows}, work_id__in={w for _j, w in rows}
    )


def review_submitted(assignment: Assignment) -> None:
    """A review of ``assignment`` was submitted for the first time (in this transaction)."""
    work = assignment.work
    bump(JuryCount, JURY_KEY, {(assignment.jury_id, work.unit_id, work.category_id): {"done": 1}})
    bump(
        ExpertCount,
        EXPERT_KEY,
        {(assignment.jury_id, assignment.expert_id, work.category_id): {"done": 1}},
    )


@receiver(pre_delete, sender=Work, dispatch_uid="judging.counts.work_deleted")
def work_deleted(sender, instance: Work, **kwargs) -> None:
    """A deleted work's assignments go with it (cascade): take them off the figures."""
    before = figures(Assignment.objects.filter(work_id=instance.pk))
    if before[0] or before[1]:
        _apply(before, ({}, {}))


@receiver(pre_delete, sender=User, dispatch_uid="judging.counts.expert_deleted")
def expert_deleted(sender, instance: User, **kwargs) -> None:
    """A deleted person's assignments go with them (cascade; the admin): the same."""
    scope = pairs_of(Assignment.objects.filter(expert_id=instance.pk))
    before = figures(scope)
    if before[0] or before[1]:
        # The figures of the pairs without this expert's rows, as the cascade leaves them.
        _apply(before, figures(scope.exclude(expert_id=instance.pk)))


# --- From scratch ----------------------------------------------------------------------


def _nonzero(rows: dict) -> dict:
    return {k: v for k, v in rows.items() if any(v.values())}


def recount(edition_id: int) -> tuple[dict, dict]:
    """The figures of the edition's juries as the assignments are now (zeros left out)."""
    return figures(Assignment.objects.filter(jury__edition_id=edition_id))


def maintained(edition_id: int) -> tuple[dict, dict]:
    juries = {
        tuple(r[k] for k in JURY_KEY): {c: r[c] for c in JURY_COUNTS}
        for r in JuryCount.objects.filter(jury__edition_id=edition_id).values(
            *JURY_KEY, *JURY_COUNTS
        )
    }
    experts = {
        tuple(r[k] for k in EXPERT_KEY): {c: r[c] for c in EXPERT_COUNTS}
        for r in ExpertCount.objects.filter(jury__edition_id=edition_id).values(
            *EXPERT_KEY, *EXPERT_COUNTS
        )
    }
    return _nonzero(juries), _nonzero(experts)


@transaction.atomic
def rebuild(edition_id: int) -> int:
    """Replace the summary rows of the edition's juries by a recount; returns rows written."""
    juries, experts = recount(edition_id)
    jury_ids = Jury.objects.filter(edition_id=edition_id).values("pk")
    JuryCount.objects.filter(jury__in=jury_ids).delete()
    ExpertCount.objects.filter(jury__in=jury_ids).delete()
    JuryCount.objects.bulk_create(
        [JuryCount(**dict(zip(JURY_KEY, k, strict=True)), **v) for k, v in juries.items()],
        batch_size=1000,
    )
    ExpertCount.objects.bulk_create(
        [ExpertCount(**dict(zip(EXPERT_KEY, k, strict=True)), **v) for k, v in experts.items()],
        batch_size=1000,
    )
    return len(juries) + len(experts)
