"""School lists kept by the districts: add, edit, deactivate, merge; and who sees which.

Every change checks ``accounts.change_school`` (the committee, or the organiser of the
school's unit), runs in one transaction and writes an audit event with before/after.
Schools are never deleted except as the absorbed side of a merge: people and works keep
pointing at a deactivated school, and registration offers active schools only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Required, TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError

from .access import require
from .enums import Level, Role, SchoolKind, SchoolType
from .kept_users import forget_user_of
from .models import Membership, School, Unit
from .signals import school_merging

PERM = "accounts.change_school"
NAME_MAX = 150
CODE_MAX = 32
FIELDS = ("name", "code", "school_type", "levels", "kind", "is_active")


# --- selectors ------------------------------------------------------------------------------


def units_for_school_admin(user) -> QuerySet[Unit]:
    """The units whose schools ``user`` keeps: all for the committee, else the organised ones."""
    if user.is_committee:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=user.unit_ids_for(Role.UNIT_ORGANIZER))


def schools_for_admin(
    user, *, unit: Unit | None = None, query: str = "", status: str = ""
) -> QuerySet[School]:
    """The schools ``user`` may see on the school list, filtered; never another unit's."""
    schools = School.objects.filter(unit__in=units_for_school_admin(user)).select_related("unit")
    if unit is not None:
        schools = schools.filter(unit=unit)
    if query:
        schools = schools.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if status == "active":
        schools = schools.filter(is_active=True)
    elif status == "inactive":
        schools = schools.filter(is_active=False)
    return schools.order_by("unit__order", "unit__code", "-is_active", "name")


def schools_open_for_registration() -> QuerySet[School]:
    """What registration forms and the school picker offer."""
    return School.objects.filter(is_active=True)


def school_references(school: School) -> dict[str, tuple[str, int]]:
    """Every row that points at ``school``: model label -> (its plural name, how many).

    Found through the model graph rather than named here, so that a reference added by
    a later app (works, expert profiles, conflicts…) moves with a merge without this
    module importing apps that depend on accounts.
    """
    counts = {}
    for relation in _references():
        manager = relation.related_model._base_manager
        n = manager.filter(**{relation.field.name: school}).count()
        if n:
            meta = relation.related_model._meta
            counts[meta.label_lower] = (str(meta.verbose_name_plural), n)
    return counts


def people_count(school: School) -> int:
    """Distinct people whose role memberships name ``school``."""
    return Membership.objects.filter(school=school).values("user_id").distinct().count()


def _references():
    return [
        r
        for r in School._meta.related_objects
        if (r.one_to_many or r.one_to_one) and not r.many_to_many
    ]


# --- services -------------------------------------------------------------------------------


def snapshot(school: School) -> dict[str, Any]:
    return {name: getattr(school, name) for name in FIELDS}


class SchoolFields(TypedDict, total=False):
    """What ``school_add`` and ``school_update`` are told about the school."""

    name: Required[str]
    code: str
    school_type: str
    levels: Iterable[str]
    kind: str


def _clean(
    *,
    name: str,
    code: str = "",
    school_type: str = "",
    levels: Iterable[str] = (),
    kind: str = SchoolKind.SCHOOL,
) -> dict[str, Any]:
    name, code = " ".join(name.split()), code.strip().upper()
    if not name:
        raise DomainError(_("Please give the school's name."), code="name_missing")
    if len(name) > NAME_MAX:
        raise DomainError(_("A school name has at most 150 characters."), code="too_long")
    if len(code) > CODE_MAX:
        raise DomainError(_("A school code has at most 32 characters."), code="too_long")
    if school_type and school_type not in SchoolType.values:
        raise DomainError(_("Unknown school type."), code="type_invalid")
    if kind not in SchoolKind.values:
        raise DomainError(_("Unknown kind of school."), code="kind_invalid")
    levels = list(levels)
    if any(v not in Level.values for v in levels):
        raise DomainError(_("Unknown education level."), code="level_invalid")
    return {
        "name": name,
        "code": code,
        "school_type": school_type,
        "levels": order_levels(levels),
        "kind": kind,
    }


def _check_unique(*, unit: Unit, name: str, code: str, exclude: int | None = None) -> None:
    others = School.objects.filter(unit=unit).exclude(pk=exclude)
    if others.filter(name=name).exists():
        raise DomainError(
            _("%(unit)s already has a school named “%(name)s”.") % {"unit": unit, "name": name},
            code="name_taken",
        )
    if code and others.filter(code=code).exists():
        raise DomainError(
            _("%(unit)s already has a school with the code %(code)s.")
            % {"unit": unit, "code": code},
            code="code_taken",
        )


def _save(school: School, **kwargs) -> None:
    """Save, turning a unique-constraint race into the same Chinese refusal."""
    try:
        with transaction.atomic():
            school.save(**kwargs)
    except IntegrityError as exc:
        _check_unique(unit=school.unit, name=school.name, code=school.code, exclude=school.pk)
        raise DomainError(_("The school could not be saved; please try again.")) from exc


@transaction.atomic
def school_add(*, actor, unit: Unit, **fields: Unpack[SchoolFields]) -> School:
    """Add an active school to ``unit`` (name, and code if given, unique within the unit)."""
    require(actor, PERM, unit, message=_("You may only change your own unit's schools."))
    data = _clean(**fields)
    _check_unique(unit=unit, name=data["name"], code=data["code"])
    school = School(unit=unit, **data)
    _save(school)
    audit_record(actor=actor, action="school.add", obj=school, after=snapshot(school))
    return school


@transaction.atomic
def school_update(*, actor, school: School, **fields: Unpack[SchoolFields]) -> School:
    """Rename or re-describe ``school``; audited only when something changed."""
    school = _locked(school, actor=actor)
    data = _clean(**fields)
    before = snapshot(school)
    _check_unique(unit=school.unit, name=data["name"], code=data["code"], exclude=school.pk)
    for field, value in data.items():
        setattr(school, field, value)
    after = snapshot(school)
    if after != before:
        _save(school, update_fields=list(data))
        changed = [f for f in FIELDS if before[f] != after[f]]
        audit_record(
            actor=actor,
            action="school.update",
            obj=school,
            before={f: before[f] for f in changed},
            after={f: after[f] for f in changed},
        )
    return school


def school_deactivate(*, actor, school: School, reason: str = "") -> School:
    """Hide ``school`` from registration; people and works keep it."""
    return _set_active(actor=actor, school=school, active=False, reason=reason)


def school_reactivate(*, actor, school: School, reason: str = "") -> School:
    return _set_active(actor=actor, school=school, active=True, reason=reason)


@transaction.atomic
def _set_active(*, actor, school: School, active: bool, reason: str) -> School:
    school = _locked(school, actor=actor)
    if school.is_active == active:
        return school
    school.is_active = active
    school.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="school.reactivate" if active else "school.deactivate",
        obj=school,
        before={"is_active": not active},
        after={"is_active": active},
        reason=reason,
    )
    return school


def _locked(school: School, *, actor) -> School:
    require(actor, PERM, school, message=_("You may only change your own unit's schools."))
    return School.objects.select_for_update().select_related("unit").get(pk=school.pk)


@transaction.atomic
def school_merge(*, actor, source: School, target: School, reason: str = "") -> dict[str, int]:
    """Merge ``source`` into ``target`` (same unit) and delete ``source``.

    Every row pointing at ``source`` (role memberships, student and teacher profiles,
    works, expert profiles, conflict declarations — see ``school_references``) is moved to
    ``target`` in this transaction; a membership ``target`` already has is dropped rather
    than doubled. ``target`` also teaches ``source``'s levels afterwards. Both rows are
    locked (lowest id first) so two merges cannot cross. Audited on ``target`` with the
    counts moved. Returns the counts by model label.
    """
    if source.pk == target.pk:
        raise DomainError(_("A school cannot be merged into itself."), code="merge_self")
    first, second = sorted([source, target], key=lambda s: s.pk)
    locked = {s.pk: _locked(s, actor=actor) for s in (first, second)}
    source, target = locked[source.pk], locked[target.pk]
    if source.unit_id != target.unit_id:
        raise DomainError(
            _("Only schools of the same district or university can be merged."),
            code="merge_units",
        )
    if not target.is_active:
        raise DomainError(_("Reactivate the target school first."), code="merge_inactive")
    moved = {"accounts.membership": _move_memberships(source, target)}
    for relation in _references():
        label = relation.related_model._meta.label_lower
        if label == "accounts.membership":
            continue
        field = relation.field.name
        rows = relation.related_model._base_manager.filter(**{field: source})
        moved[label] = rows.update(**{field: target})
    gone = snapshot(source) | {"id": source.pk}
    levels = order_levels([*target.levels, *source.levels])
    school_merging.send(sender=School, source=source, target=target)
    source.delete()
    if levels != target.levels:
        target.levels = levels
        target.save(update_fields=["levels"])
    audit_record(
        actor=actor,
        action="school.merge",
        obj=target,
        before={"merged_school": gone},
        after={"moved": moved, "levels": target.levels},
        reason=reason,
    )
    return moved


def _move_memberships(source: School, target: School) -> int:
    memberships = list(Membership.objects.filter(school=source))
    held = set(Membership.objects.filter(school=target).values_list("user_id", "role", "unit_id"))
    doubled = [m.pk for m in memberships if (m.user_id, m.role, m.unit_id) in held]
    Membership.objects.filter(pk__in=doubled).delete()
    moved = Membership.objects.filter(school=source).update(school=target)
    # Bulk updates send no signals: drop each person's kept copy of their roles here.
    for membership in memberships:
        forget_user_of(membership)
        transaction.on_commit(lambda m=membership: forget_user_of(m))
    return moved + len(doubled)


def order_levels(values: Iterable[str]) -> list[str]:
    """``values`` as Level values in the usual order (primary first)."""
    wanted = set(values)
    return [v for v in Level.values if v in wanted]
