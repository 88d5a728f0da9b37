"""Creating editions from the defaults, choosing the current one, extending windows."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from gongchuang.accounts.enums import UnitKind
from gongchuang.accounts.models import Unit
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError

from . import defaults
from .models import Category, Edition, PhaseWindow, RubricDimension
from .rules import ensure_edition_writable


def units_ensure_districts() -> None:
    """Create Beijing's districts (and the development area) if missing; idempotent."""
    for order, (code, name) in enumerate(defaults.DISTRICTS, start=1):
        Unit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": UnitKind.DISTRICT, "order": order}
        )


@transaction.atomic
def edition_create_from_defaults(
    *,
    year: int,
    slug: str | None = None,
    code: str | None = None,
    name: str | None = None,
    windows: dict[str, tuple[datetime.datetime, datetime.datetime]] | None = None,
    is_demo: bool = False,
) -> tuple[Edition, bool]:
    """Create the edition with DOMAIN.md's categories, rules, rubric and windows.

    Idempotent: if an edition with the slug exists it is returned unchanged
    (``created`` is False), so committee edits are never overwritten.
    """
    units_ensure_districts()
    slug = slug or str(year)
    existing = Edition.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    edition = Edition.objects.create(
        slug=slug,
        year=year,
        code=code or str(year),
        name=name or f"{year}北京青少年人工智能应用实践活动",
        theme="与AI共创未来",
        is_demo=is_demo,
        organisers=defaults.ORGANISERS,
        settings=dict(defaults.DEFAULT_SETTINGS),
    )
    for step, (opens_at, closes_at) in (windows or defaults.windows_for_year(year)).items():
        PhaseWindow.objects.create(
            edition=edition, step=step, opens_at=opens_at, closes_at=closes_at
        )
    for order, spec in enumerate(defaults.CATEGORIES):
        category = Category.objects.create(
            edition=edition,
            code=spec["code"],
            short_code=spec["short_code"],
            track=spec["track"],
            name=spec["name"],
            description=spec["description"],
            eligible_levels=[]
            if spec["track"] == "teacher"
            else [str(lv) for lv in defaults.ALL_LEVELS],
            max_authors=spec["max_authors"],
            max_advisors=0 if spec["track"] == "teacher" else 2,
            unit_quota=spec["unit_quota"],
            materials=spec["materials"],
            order=order,
        )
        RubricDimension.objects.bulk_create(
            RubricDimension(
                category=category,
                name=dim,
                weight=weight,
                description=text,
                anchors=defaults.ANCHORS,
                order=i,
            )
            for i, (dim, weight, text) in enumerate(defaults.COMMON_RUBRIC)
        )
    audit_record(actor=None, action="edition.create", obj=edition, after={"slug": slug})
    return edition, True


@transaction.atomic
def edition_make_current(*, edition: Edition, actor=None) -> Edition:
    """Make ``edition`` the current one (an archived edition never becomes current again)."""
    ensure_edition_writable(edition)
    previous = Edition.objects.select_for_update().filter(is_current=True).exclude(pk=edition.pk)
    for old in previous:
        old.is_current = False
        old.save(update_fields=["is_current"])
    if not edition.is_current:
        edition.is_current = True
        edition.save(update_fields=["is_current"])
        audit_record(actor=actor, action="edition.make_current", obj=edition)
    return edition


@transaction.atomic
def window_extend(
    *, window: PhaseWindow, closes_at: datetime.datetime, actor, reason: str
) -> PhaseWindow:
    """Move a window's closing time (the committee extends a deadline); always audited."""
    ensure_edition_writable(window.edition)
    if not reason.strip():
        raise DomainError(
            _("Please give a reason for changing the deadline."), code="reason_required"
        )
    if closes_at <= window.opens_at:
        raise DomainError(_("A window must close after it opens."), code="bad_window")
    before = window.closes_at
    window.closes_at = closes_at
    window.save(update_fields=["closes_at"])
    audit_record(
        actor=actor,
        action="window.extend",
        obj=window,
        before={"closes_at": before.isoformat()},
        after={"closes_at": closes_at.isoformat()},
        reason=reason,
        edition_id=window.edition_id,
    )
    return window
