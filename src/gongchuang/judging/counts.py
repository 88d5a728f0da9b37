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

from collections.abc import Iterable
from contextlib import contextmanager
from uuid import uuid4

from django.core.cache import cache
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


# The version of a jury's assignments and reviews, for the figures computed from all of
# them and cached (the jury page's coverage and graph, the calibrated ranking): a random
# token, dropped by every write of the jury's assignments or reviews. A reader that finds
# none makes a new one, so a dropped token (or an emptied cache) means "compute again".
VERSION_KEY = "judging:jury-version:{}"


def jury_version(jury_id: int) -> str:
    """The current token of the jury's assignments and reviews (see ``VERSION_KEY``)."""
    key = VERSION_KEY.format(jury_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid4().hex, None)
        # A cache that keeps nothing (the dummy cache) yields a fresh token: never a hit.
        version = cache.get(key) or uuid4().hex
    return version


def jury_changed(jury_ids: Iterable[int]) -> None:
    """Drop the juries' tokens now and again once the transaction commits: a reader between
    the two may have cached the figures as they were before the write."""
    keys = [VERSION_KEY.format(j) for j in set(jury_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def _apply(before: tuple[dict, dict], after: tuple[dict, dict]) -> None:
    jury_changed([key[0] for side in (before, after) for key in side[0]])
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
    jury_changed([assignment.jury_id])
    bump(JuryCount, JURY_KEY, {(assignment.jury_id, work.unit_id, work.category_id): {"done": 1}})
    bump(
        ExpertCount,
        EXPERT_KEY,
        {(assignment.jury_id, assignment.expert_id, work.category_id): {"done": 1}},
    )


def review_saved(assignment: Assignment, *, submitted: bool, was_submitted: bool) -> None:
    """A review of ``assignment`` was saved: counted when submitted for the first time (not
    for a forbidden pair); an edit of a submitted one changes the jury's ranking."""
    if submitted and not was_submitted and not assignment.forbidden:
        review_submitted(assignment)
    elif was_submitted:
        jury_changed([assignment.jury_id])


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
    jury_changed(pk for pk in jury_ids.values_list("pk", flat=True))
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
