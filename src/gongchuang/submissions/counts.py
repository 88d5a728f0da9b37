"""The works' summary rows (``WorkCount``, ``WorkSchoolCount``, ``WorkDayCount``), kept in
step with the works.

Every change of a work's counted columns (state, and the day of its first submission; its
edition, unit, category and level never change; its school only in a merge of schools,
``school_merged`` below) goes through here in the transaction of
the change: ``work_created`` (the ``post_save`` receiver of a new work), ``work_moved``
(``services.lifecycle.transition_work``) and ``work_deleted`` (the ``post_delete`` receiver
below, so the admin's deletes and cascades count too). Code that writes works in bulk (the
load generator, a data repair) calls :func:`rebuild` afterwards; ``manage.py rebuild_counts``
does it for every edition, and :func:`recount` is what the rows must equal.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from gongchuang.accounts.models import School
from gongchuang.accounts.signals import school_merging
from gongchuang.common.db.functions import LocalDate
from gongchuang.common.db.tally import add_deltas, bump

from .models import Work, WorkCount, WorkDayCount, WorkSchoolCount

COUNT_KEY = ("edition_id", "unit_id", "category_id", "level", "state")
SCHOOL_KEY = ("edition_id", "state", "unit_id", "school_id", "category_id")
DAY_KEY = ("edition_id", "unit_id", "category_id", "state", "day")


def submitted_day(moment: datetime.datetime | None) -> datetime.date | None:
    """The day (Asia/Shanghai) of a first submission, as the daily figures count it."""
    return timezone.localtime(moment).date() if moment else None


def _rows(work: Work, *, state: str, submitted_at, sign: int, counts: dict, days: dict) -> None:
    """Add ``sign`` × this work (as in ``state``) to ``counts`` ({(model, key): deltas}) and
    to ``days``."""
    state = str(state)
    key = (work.edition_id, work.unit_id, work.category_id, work.level, state)
    add_deltas(counts, (WorkCount, key), {"n": 1}, sign)
    school = (work.edition_id, state, work.unit_id, work.school_id, work.category_id)
    add_deltas(counts, (WorkSchoolCount, school), {"n": 1}, sign)
    day = submitted_day(submitted_at)
    if day is not None:
        add_deltas(days, (*key[:3], state, day), {"n": 1}, sign)


def _apply(counts: dict, days: dict) -> None:
    for model, keys in ((WorkCount, COUNT_KEY), (WorkSchoolCount, SCHOOL_KEY)):
        bump(model, keys, {key: d for (m, key), d in counts.items() if m is model})
    bump(WorkDayCount, DAY_KEY, days)


@receiver(post_save, sender=Work, dispatch_uid="submissions.counts.work_created")
def work_created(sender, instance: Work, created: bool, raw: bool = False, **kwargs) -> None:
    """A new work counts from its first save (any state: the demo and the showcase importer
    create works in later states)."""
    if not created or raw:
        return
    work = instance
    counts: dict = {}
    days: dict = {}
    _rows(work, state=work.state, submitted_at=work.submitted_at, sign=1, counts=counts, days=days)
    _apply(counts, days)


def work_moved(work: Work, *, state: str, submitted_at) -> None:
    """``work`` (as it is now) was in ``state`` with ``submitted_at`` before this change."""
    counts: dict = {}
    days: dict = {}
    _rows(work, state=state, submitted_at=submitted_at, sign=-1, counts=counts, days=days)
    _rows(work, state=work.state, submitted_at=work.submitted_at, sign=1, counts=counts, days=days)
    _apply(counts, days)


@receiver(post_delete, sender=Work, dispatch_uid="submissions.counts.work_deleted")
def work_deleted(sender, instance: Work, **kwargs) -> None:
    counts: dict = {}
    days: dict = {}
    _rows(
        instance,
        state=instance.state,
        submitted_at=instance.submitted_at,
        sign=-1,
        counts=counts,
        days=days,
    )
    _apply(counts, days)


def work_redate_submission(work: Work, submitted_at: datetime.datetime) -> None:
    """Set the moment of ``work``'s first submission (the demo spreads its works over the
    days) and move its daily figure with it."""
    with transaction.atomic():
        locked = Work.objects.select_for_update().get(pk=work.pk)
        before = locked.submitted_at
        Work.objects.filter(pk=work.pk).update(submitted_at=submitted_at)
        locked.submitted_at = submitted_at
        work_moved(locked, state=locked.state, submitted_at=before)


@receiver(school_merging, dispatch_uid="submissions.counts.school_merged")
def school_merged(sender, source: School, target: School, **kwargs) -> None:
    """The merge moved ``source``'s works to ``target`` (same unit): so do its figures."""
    moved = {}
    rows = WorkSchoolCount.objects.filter(school=source).exclude(n=0)
    for r in rows.values(*SCHOOL_KEY, "n"):
        key = (r["edition_id"], r["state"], r["unit_id"], target.pk, r["category_id"])
        add_deltas(moved, key, {"n": r["n"]})
    bump(WorkSchoolCount, SCHOOL_KEY, moved)
    WorkSchoolCount.objects.filter(school=source).delete()


# --- From scratch ----------------------------------------------------------------------


def recount(edition_id: int) -> tuple[dict, dict, dict]:
    """The figures as the works are now: ({count key: n}, {school key: n}, {day key: n}),
    zeros left out."""
    works = Work.objects.filter(edition_id=edition_id).order_by()
    counts = {
        tuple(r[k] for k in COUNT_KEY): r["n"]
        for r in works.values(*COUNT_KEY).annotate(n=Count("id"))
    }
    schools = {
        tuple(r[k] for k in SCHOOL_KEY): r["n"]
        for r in works.values(*SCHOOL_KEY).annotate(n=Count("id"))
    }
    days = {
        tuple(r[k] for k in DAY_KEY): r["n"]
        for r in works.filter(submitted_at__isnull=False)
        .annotate(day=LocalDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values(*DAY_KEY)
        .annotate(n=Count("id"))
    }
    return counts, schools, days


def maintained(edition_id: int) -> tuple[dict, dict, dict]:
    """The summary rows of ``edition_id`` in the form of :func:`recount`."""
    counts = {
        tuple(r[k] for k in COUNT_KEY): r["n"]
        for r in WorkCount.objects.filter(edition_id=edition_id)
        .exclude(n=0)
        .values(*COUNT_KEY, "n")
    }
    schools = {
        tuple(r[k] for k in SCHOOL_KEY): r["n"]
        for r in WorkSchoolCount.objects.filter(edition_id=edition_id)
        .exclude(n=0)
        .values(*SCHOOL_KEY, "n")
    }
    days = {
        tuple(r[k] for k in DAY_KEY): r["n"]
        for r in WorkDayCount.objects.filter(edition_id=edition_id)
        .exclude(n=0)
        .values(*DAY_KEY, "n")
    }
    return counts, schools, days


@transaction.atomic
def rebuild(edition_id: int) -> int:
    """Replace the summary rows of ``edition_id`` by a recount; returns the rows written.
    Run it while nothing else writes the edition's works (``rebuild_counts``)."""
    written = 0
    parts = ((WorkCount, COUNT_KEY), (WorkSchoolCount, SCHOOL_KEY), (WorkDayCount, DAY_KEY))
    for (model, keys), figures in zip(parts, recount(edition_id), strict=True):
        model.objects.filter(edition_id=edition_id).delete()
        model.objects.bulk_create(
            [model(**dict(zip(keys, key, strict=True)), n=n) for key, n in figures.items()],
            batch_size=1000,
        )
        written += len(figures)
    return written


def total(edition_id: int) -> int:
    return WorkCount.objects.filter(edition_id=edition_id).aggregate(t=Sum("n"))["t"] or 0


def waiting(edition_id: int, state: str, *, unit_ids=None, school_ids=None) -> int:
    """How many works of the edition are in ``state`` (in ``unit_ids`` or ``school_ids`` when
    given), read from the summary rows: what the staff menu shows waiting, at any size."""
    if school_ids is not None:
        rows = WorkSchoolCount.objects.filter(
            edition_id=edition_id, state=state, school_id__in=school_ids
        )
    else:
        rows = WorkCount.objects.filter(edition_id=edition_id, state=state)
        if unit_ids is not None:
            rows = rows.filter(unit_id__in=unit_ids)
    return rows.aggregate(n=Sum("n"))["n"] or 0
