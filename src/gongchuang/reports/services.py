"""Writes of the reports app: exports, edition clone and archive, summary reports, API tokens."""

import datetime
import secrets
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.access import can, require
from gongchuang.accounts.enums import SchoolKind
from gongchuang.accounts.models import School, Unit
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.models import Edition, PhaseWindow, RubricDimension
from gongchuang.editions.rules import ensure_edition_writable

from . import exports
from .award_list import award_list_rows
from .calculations import shift_one_year, token_hash
from .enums import SYNC_EXPORT_LIMIT
from .models import ApiToken, Export, SummaryReport
from .scope import Filters, Scope, report_works
from .tasks import build_summary_report, run_export

# --- Exports -----------------------------------------------------------------------------


def works_export_now(
    *, actor, scope: Scope, edition: Edition, filters: Filters
) -> tuple[IO[bytes], int]:
    """Write the filtered works list to a temporary xlsx now (small lists); audited."""
    qs = report_works(scope, edition=edition, filters=filters)
    handle, rows = exports.temp_xlsx(
        title=_("Works"), headers=exports.work_headers(), rows=exports.work_rows(qs)
    )
    audit_record(
        actor=actor,
        action="export.works",
        obj=None,
        edition_id=edition.pk,
        after={"filters": filters.as_dict(), "rows": rows},
    )
    return handle, rows


def results_export_now(*, actor, scope: Scope, edition: Edition) -> tuple[IO[bytes], int]:
    """Write the 获奖名单 (finalists and awards) of ``scope`` to a temporary xlsx; audited."""
    rows = award_list_rows(scope, edition=edition, viewer=actor)
    handle, n = exports.temp_xlsx(
        title=_("Award list"), headers=exports.result_headers(), rows=rows
    )
    audit_record(
        actor=actor, action="export.results", obj=None, edition_id=edition.pk, after={"rows": n}
    )
    return handle, n


def works_export_queue(*, actor, edition: Edition, filters: Filters, total: int) -> Export:
    """Record a large export and run it in the background (``tasks.run_export``); audited."""
    with transaction.atomic():
        export = Export.objects.create(
            edition=edition,
            kind="works",
            filters=filters.as_dict(),
            requested_by=actor,
            total=total,
        )
        audit_record(
            actor=actor,
            action="export.works",
            obj=export,
            edition_id=edition.pk,
            after={"filters": filters.as_dict(), "rows": total, "background": True},
        )
        transaction.on_commit(lambda: run_export.enqueue(export.pk))
    return export


def needs_background(total: int) -> bool:
    return total > SYNC_EXPORT_LIMIT


# --- Clone and archive -------------------------------------------------------------------


@transaction.atomic
def edition_clone(*, source: Edition, year: int, slug: str, code: str, name: str, actor) -> Edition:
    """Create next year's edition from ``source``: settings, windows (+1 year), categories,
    quotas, materials and rubrics. No works and no people's data are copied."""
    if Edition.objects.filter(slug=slug).exists():
        raise DomainError(_("An edition with this slug already exists."), code="slug_taken")
    if Edition.objects.filter(code=code).exists():
        raise DomainError(_("An edition with this code already exists."), code="code_taken")
    try:
        with transaction.atomic():
            edition = Edition.objects.create(
                slug=slug,
                year=year,
                code=code,
                name=name,
                theme=source.theme,
                is_demo=source.is_demo,
                organisers=source.organisers,
                finalist_weights=source.finalist_weights,
                settings=source.settings,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("An edition with this slug already exists."), code="slug_taken"
        ) from exc
    PhaseWindow.objects.bulk_create(
        PhaseWindow(
            edition=edition,
            step=w.step,
            opens_at=shift_one_year(w.opens_at),
            closes_at=shift_one_year(w.closes_at),
        )
        for w in source.windows.all()
    )
    for category in source.categories.prefetch_related("rubric"):
        dims = list(category.rubric.all())
        category.pk = None
        category.id = None
        category.edition = edition
        category._state.adding = True
        category.save()
        RubricDimension.objects.bulk_create(
            RubricDimension(
                category=category,
                name=d.name,
                weight=d.weight,
                description=d.description,
                anchors=d.anchors,
                order=d.order,
            )
            for d in dims
        )
    audit_record(
        actor=actor,
        action="edition.clone",
        obj=edition,
        before={"source": source.slug},
        after={"slug": slug, "year": year, "code": code},
    )
    return edition


@transaction.atomic
def edition_archive(*, edition: Edition, actor) -> Edition:
    """Make a past edition read-only (still viewable). The current edition cannot be archived."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_edition_writable(edition)
    if edition.is_current:
        raise DomainError(
            _("The current edition cannot be archived; make another edition current first."),
            code="current",
        )
    edition.archived_at = timezone.now()
    edition.save(update_fields=["archived_at"])
    audit_record(actor=actor, action="edition.archive", obj=edition)
    return edition


# --- Summary report ----------------------------------------------------------------------


def summary_report_request(*, edition: Edition, actor) -> SummaryReport:
    """Queue the PDF summary report of ``edition`` (``tasks.build_summary_report``); audited."""
    ensure_edition_writable(edition)
    with transaction.atomic():
        report = SummaryReport.objects.create(edition=edition, requested_by=actor)
        audit_record(actor=actor, action="report.summary", obj=report, edition_id=edition.pk)
        transaction.on_commit(lambda: build_summary_report.enqueue(report.pk))
    return report


# --- API tokens and school lists ---------------------------------------------------------


@transaction.atomic
def api_token_create(*, user, name: str, actor) -> tuple[ApiToken, str]:
    """Create a token for ``user``; the raw token is returned once and never stored."""
    if not can(user, "reports.view"):
        raise DomainError(
            _("API tokens are only for unit organizers and the committee."), code="role"
        )
    raw = "gc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=token_hash(raw), prefix=raw[:8], created_by=actor
    )
    audit_record(actor=actor, action="api_token.create", obj=token, after={"user": user.pk})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", obj=token)
    return token


def api_token_user(raw: str):
    """The user of an active token (and mark it used), or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Record use at most once a minute: an integration polling hard must not write each time.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def schools_upload(*, unit: Unit, names: list[str], actor) -> tuple[list[str], list[str]]:
    """Create the schools of ``names`` missing under ``unit``; returns (created, existing)."""
    require(
        actor,
        "reports.upload_schools",
        unit,
        message=_("You may only change your own unit's schools."),
    )
    cleaned = []
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > 150:
            raise DomainError(_("A school name has at most 150 characters."), code="too_long")
        if name not in cleaned:
            cleaned.append(name)
    existing = set(
        School.objects.filter(unit=unit, name__in=cleaned).values_list("name", flat=True)
    )
    created = [n for n in cleaned if n not in existing]
    School.objects.bulk_create(
        [School(unit=unit, name=n, kind=SchoolKind.SCHOOL) for n in created], ignore_conflicts=True
    )
    if created:
        audit_record(actor=actor, action="school.upload", obj=unit, after={"created": created})
    return created, [n for n in cleaned if n in existing]
