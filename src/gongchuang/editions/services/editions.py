"""Creating editions from the defaults, choosing the current one, extending windows, the
edition's rules and its school confirmation option."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from gongchuang.accounts.enums import UnitKind
from gongchuang.accounts.models import Unit
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError

from .. import defaults
from ..enums import Step
from ..models import SCHOOL_CONFIRMATION_KEY, Category, Edition, PhaseWindow, RubricDimension
from ..rules import ensure_edition_writable
from ..usage import awaiting_school_count


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
        _category_create_from_spec(edition=edition, spec=spec, order=order)
    audit_record(actor=None, action="edition.create", obj=edition, after={"slug": slug})
    return edition, True


def _category_create_from_spec(*, edition: Edition, spec: dict, order: int) -> Category:
    """One of DOMAIN.md's categories, with the common rubric."""
    is_teacher = spec["track"] == "teacher"
    category = Category.objects.create(
        edition=edition,
        code=spec["code"],
        short_code=spec["short_code"],
        track=spec["track"],
        name=spec["name"],
        description=spec["description"],
        eligible_levels=[] if is_teacher else [str(lv) for lv in defaults.ALL_LEVELS],
        max_authors=spec["max_authors"],
        max_advisors=0 if is_teacher else 2,
        unit_quota=spec["unit_quota"],
        materials=spec["materials"],
        order=order,
    )
    RubricDimension.objects.bulk_create(
        RubricDimension(
            category=category, name=dim, weight=weight, description=text,
            anchors=defaults.ANCHORS, order=i,
        )
        for i, (dim, weight, text) in enumerate(defaults.COMMON_RUBRIC)
    )  # fmt: skip
    return category


@transaction.atomic
def edition_make_current(*, edition: Edition, actor=None) -> Edition:
    """Make ``edition`` the current one (an archived edition never becomes current again)."""
    ensure_edition_writable(edition)
    previous = list(
        Edition.objects.select_for_update().filter(is_current=True).exclude(pk=edition.pk)
    )
    for old in previous:
        old.is_current = False
        old.save(update_fields=["is_current"])
    if not edition.is_current:
        edition.is_current = True
        edition.save(update_fields=["is_current"])
        audit_record(
            actor=actor, action="edition.make_current", obj=edition,
            before={"current": previous[0].slug if previous else None},
            after={"current": edition.slug},
        )  # fmt: skip
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


@transaction.atomic
def window_reschedule(
    *,
    window: PhaseWindow,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    actor,
    reason: str,
) -> PhaseWindow:
    """Move both ends of a window; audited like :func:`window_extend` (action
    ``window.reschedule``, the opening and closing times before and after)."""
    ensure_edition_writable(window.edition)
    if not reason.strip():
        raise DomainError(
            _("Please give a reason for changing the deadline."), code="reason_required"
        )
    if closes_at <= opens_at:
        raise DomainError(_("A window must close after it opens."), code="bad_window")
    before = {"opens_at": window.opens_at.isoformat(), "closes_at": window.closes_at.isoformat()}
    window.opens_at, window.closes_at = opens_at, closes_at
    window.save(update_fields=["opens_at", "closes_at"])
    audit_record(
        actor=actor,
        action="window.reschedule",
        obj=window,
        before=before,
        after={"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()},
        reason=reason,
        edition_id=window.edition_id,
    )
    return window


# The edition settings the committee edits on its rules page (``Edition.settings`` keys).
RULE_KEYS = (
    "reviews_per_work", "star_shares", "final_weights",
    "publicity_working_days", "award_publicity_working_days",
    "disagreement_threshold", "similarity_text_percent", "similarity_image_percent",
    "score_min", "practice_required",
)  # fmt: skip


@transaction.atomic
def edition_rules_update(*, edition: Edition, actor, values: dict) -> Edition:
    """Change the rules of :data:`RULE_KEYS` in ``edition.settings`` (other keys are kept).

    Star shares add up to at most 100 (the rest of the finalists take part without a
    star); final score weights add up to 100. Audited with the changed keys.
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_edition_writable(edition)
    if sum(values["star_shares"].values()) > 100:
        raise DomainError(_("The star shares add up to more than 100%."), code="star_shares")
    if sum(values["final_weights"].values()) != 100:
        raise DomainError(_("The final score weights must add up to 100."), code="final_weights")
    current = edition.settings or {}
    keys = [k for k in RULE_KEYS if k in values]  # a caller may leave the newer keys out
    changed = [k for k in keys if current.get(k) != values[k]]
    if changed:
        edition.settings = {**current, **{k: values[k] for k in keys}}
        edition.save(update_fields=["settings"])
        audit_record(
            actor=actor, action="edition.rules", obj=edition,
            before={k: current.get(k) for k in changed}, after={k: values[k] for k in changed},
            edition_id=edition.pk,
        )  # fmt: skip
    return edition


@transaction.atomic
def edition_details_update(*, edition: Edition, actor, values: dict) -> Edition:
    """Change the edition's ``name``, ``theme`` and ``organisers``; audited with the changed
    fields before and after."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_edition_writable(edition)
    fields = ("name", "theme", "organisers")
    changed = [f for f in fields if getattr(edition, f) != values[f]]
    if changed:
        before = {f: getattr(edition, f) for f in changed}
        for field in changed:
            setattr(edition, field, values[field])
        edition.save(update_fields=changed)
        audit_record(
            actor=actor, action="edition.details", obj=edition, before=before,
            after={f: values[f] for f in changed}, edition_id=edition.pk,
        )  # fmt: skip
    return edition


@transaction.atomic
def edition_school_confirmation_update(*, edition: Edition, actor, values: dict) -> Edition:
    """Turn school confirmation (学校确认) on or off and set its window; audited.

    ``values``: ``enabled``, ``opens_at`` and ``closes_at`` (needed when enabled), ``reason``.
    On: works submitted from now on wait for their school's coordinator inside the window;
    works already with their unit stay there. Off is refused while works still wait for a
    school (DomainError ``school_confirmation_in_use``): they would be stranded. Turning it
    off keeps the window (and its history); nothing uses it then.
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_edition_writable(edition)
    enabled, reason = bool(values["enabled"]), values.get("reason", "").strip()
    window = edition.windows.filter(step=Step.SCHOOL_CONFIRMATION).first()
    before = _school_confirmation_state(edition, window)
    if enabled:
        opens_at, closes_at = values.get("opens_at"), values.get("closes_at")
        if not opens_at or not closes_at:
            raise DomainError(
                _("Give the school confirmation window's opening and closing times."),
                code="window_required",
            )
        if closes_at <= opens_at:
            raise DomainError(_("A window must close after it opens."), code="bad_window")
    elif before["enabled"]:
        waiting = awaiting_school_count(edition)
        if waiting:
            raise DomainError(
                _(
                    "%(n)s work(s) are still waiting for their school's confirmation. Their "
                    "schools must confirm or return them before school confirmation can be "
                    "turned off."
                )
                % {"n": waiting},
                code="school_confirmation_in_use",
            )
    after = {**before, "enabled": enabled}
    if enabled:
        after.update(opens_at=opens_at.isoformat(), closes_at=closes_at.isoformat())
    if after == before:
        return edition
    if not reason:
        raise DomainError(_("Please give a reason for this change."), code="reason_required")
    if enabled and window is None:
        PhaseWindow.objects.create(
            edition=edition, step=Step.SCHOOL_CONFIRMATION, opens_at=opens_at, closes_at=closes_at
        )
    elif enabled:
        window.opens_at, window.closes_at = opens_at, closes_at
        window.save(update_fields=["opens_at", "closes_at"])
    edition.settings = {**(edition.settings or {}), SCHOOL_CONFIRMATION_KEY: enabled}
    edition.save(update_fields=["settings"])
    audit_record(
        actor=actor, action="edition.school_confirmation", obj=edition, before=before,
        after=after, reason=reason, edition_id=edition.pk,
    )  # fmt: skip
    return edition


def _school_confirmation_state(edition: Edition, window: PhaseWindow | None) -> dict:
    return {
        "enabled": edition.school_confirmation,
        "opens_at": window.opens_at.isoformat() if window else None,
        "closes_at": window.closes_at.isoformat() if window else None,
    }
