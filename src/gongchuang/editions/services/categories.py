"""Categories and their rubrics, as the committee changes them on the settings pages.

Once a work has been submitted in a category, the category's rules are a promise to its
authors: a change that would make a submitted work incomplete or ineligible (removing or
adding a required material, narrowing a material, a smaller team, a dropped level) is
refused with its reason; a change that only widens (a new optional material, a new level,
bigger limits) is allowed. :func:`category_change_refusals` is that rule as a pure
function, so it is tested edge by edge without a database.
"""

import dataclasses

from django.db import transaction
from django.utils.translation import gettext as _

from gongchuang.accounts.enums import Level
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError

from ..models import Category, Edition, RubricDimension
from ..rules import ensure_edition_writable
from ..selectors import category_has_reviews, category_has_submitted_works

# The fields of a category the committee edits (``materials`` is a list of dicts).
CATEGORY_FIELDS = (
    "code", "short_code", "track", "name", "description", "eligible_levels",
    "max_authors", "max_advisors", "unit_quota", "materials",
)  # fmt: skip
RUBRIC_TOTAL = 100


@dataclasses.dataclass(frozen=True)
class Refusal:
    """Why a change is refused; ``field`` names the form field it belongs to: a field of the
    category, or with ``key`` a field of that material's form (``DELETE`` for a removal)."""

    field: str
    message: str
    key: str = ""


class CategoryChangeRefused(DomainError):
    def __init__(self, refusals: list[Refusal]):
        super().__init__(refusals[0].message, code="category_change_refused")
        self.refusals = refusals


def _level_label(code: str) -> str:
    return str(Level(code).label) if code in Level.values else code


def category_change_refusals(*, before: dict, after: dict) -> list[Refusal]:
    """What in ``after`` would invalidate works submitted under ``before`` (both dicts of
    :data:`CATEGORY_FIELDS`). Empty when the change only adds or widens."""
    refusals: list[Refusal] = []
    if after["track"] != before["track"]:
        refusals.append(Refusal("track", _("The track cannot change once works are submitted.")))
    for level in before["eligible_levels"]:
        if level not in after["eligible_levels"]:
            message = _(
                "The education level “%(level)s” cannot be dropped: works have been "
                "submitted in this category."
            ) % {"level": _level_label(level)}
            refusals.append(Refusal("eligible_levels", message))
    for field in ("max_authors", "max_advisors"):
        if after[field] < before[field]:
            message = _(
                "This number cannot be lowered from %(old)d to %(new)d: works have been "
                "submitted in this category."
            ) % {"old": before[field], "new": after[field]}
            refusals.append(Refusal(field, message))
    refusals.extend(_material_refusals(before["materials"], after["materials"]))
    return refusals


def _material_refusals(before: list[dict], after: list[dict]) -> list[Refusal]:
    new = {m["key"]: m for m in after}
    old_keys = {m["key"] for m in before}
    refusals = []
    for old in before:
        label = {"label": old["label"]}
        m = new.get(old["key"])
        if m is None:
            message = _(
                "The material “%(label)s” cannot be removed: works have been submitted "
                "in this category."
            )
            refusals.append(Refusal("DELETE", message % label, old["key"]))
            continue
        for field, broken, message in (
            (
                "required",
                m["required"] and not old["required"],
                _("“%(label)s” cannot become required: submitted works may not have it."),
            ),
            (
                "max_mb",
                m["max_bytes"] < old["max_bytes"],
                _(
                    "The size limit of “%(label)s” cannot be lowered: submitted files may "
                    "be larger."
                ),
            ),
            (
                "kinds",
                not set(old["kinds"]) <= set(m["kinds"]),
                _("File types of “%(label)s” cannot be removed: submitted files may be of them."),
            ),
            (
                "allows_link",
                old.get("allows_link") and not m.get("allows_link"),
                _("“%(label)s” must still accept a link: submitted works may give one."),
            ),
            (
                "multiple",
                old.get("multiple") and not m.get("multiple"),
                _("“%(label)s” must still accept several files: submitted works may have several."),
            ),
        ):
            if broken:
                refusals.append(Refusal(field, message % label, old["key"]))
    for m in after:
        if m["key"] not in old_keys and m["required"]:
            message = _(
                "The new material “%(label)s” cannot be required: works already submitted "
                "do not have it. Add it as optional."
            ) % {"label": m["label"]}
            refusals.append(Refusal("required", message, m["key"]))
    return refusals


def category_values(category: Category) -> dict:
    return {field: getattr(category, field) for field in CATEGORY_FIELDS}


def _check_rules(values: dict) -> None:
    if not values["materials"]:
        raise DomainError(_("A category needs at least one material."), code="no_materials")
    keys = [m["key"] for m in values["materials"]]
    if len(keys) != len(set(keys)):
        raise DomainError(_("Two materials have the same key."), code="duplicate_material")


@transaction.atomic
def category_create(*, edition: Edition, actor, values: dict) -> Category:
    """Add a category to ``edition`` (no rubric yet: see :func:`rubric_replace`); audited."""
    ensure_edition_writable(edition)
    _check_rules(values)
    for field in ("code", "short_code"):
        if Category.objects.filter(edition=edition, **{field: values[field]}).exists():
            raise DomainError(
                _("Another category of this edition already uses this code."), code="code_taken"
            )
    order = Category.objects.filter(edition=edition).order_by("-order").first()
    category = Category.objects.create(
        edition=edition, order=(order.order + 1) if order else 0,
        **{f: values[f] for f in CATEGORY_FIELDS},
    )  # fmt: skip
    audit_record(actor=actor, action="category.create", obj=category, after=values)
    return category


@transaction.atomic
def category_update(*, category: Category, actor, values: dict) -> Category:
    """Change ``category`` to ``values``; refused (``CategoryChangeRefused``) when works
    submitted in it would be invalidated. Audited with the changed fields before and after."""
    category = Category.objects.select_for_update().select_related("edition").get(pk=category.pk)
    ensure_edition_writable(category.edition)
    _check_rules(values)
    values = {**values, "code": category.code}  # works' codes and links rely on it
    before = category_values(category)
    if category_has_submitted_works(category):
        refusals = category_change_refusals(before=before, after=values)
        if refusals:
            raise CategoryChangeRefused(refusals)
    changed = [f for f in CATEGORY_FIELDS if before[f] != values[f]]
    if not changed:
        return category
    for field in changed:
        setattr(category, field, values[field])
    category.save(update_fields=changed)
    audit_record(
        actor=actor, action="category.update", obj=category,
        before={f: before[f] for f in changed}, after={f: values[f] for f in changed},
    )  # fmt: skip
    return category


def _dimension_values(d: RubricDimension) -> dict:
    return {"name": d.name, "weight": d.weight, "description": d.description, "anchors": d.anchors}


@transaction.atomic
def rubric_replace(*, category: Category, actor, dimensions: list[dict]) -> list[RubricDimension]:
    """Set the category's rubric to ``dimensions`` (dicts with name, weight, description,
    anchors, and ``pk`` for a kept dimension), in that order. Weights must add up to 100.

    A kept dimension keeps its id (review scores are stored by dimension id). Refused once
    any work of the category has been scored on it. Audited with the rubric before and after.
    """
    category = Category.objects.select_for_update().select_related("edition").get(pk=category.pk)
    ensure_edition_writable(category.edition)
    if category_has_reviews(category):
        raise DomainError(
            _("Experts have already scored works on this rubric; it can no longer change."),
            code="rubric_in_use",
        )
    total = sum(d["weight"] for d in dimensions)
    if total != RUBRIC_TOTAL:
        raise DomainError(
            _("The weights add up to %(total)d; they must add up to 100.") % {"total": total},
            code="rubric_total",
        )
    names = [d["name"] for d in dimensions]
    if len(names) != len(set(names)):
        raise DomainError(_("Two dimensions have the same name."), code="rubric_names")
    existing = {d.pk: d for d in category.rubric.all()}
    before = [_dimension_values(d) for d in existing.values()]
    kept_ids = {d.get("pk") for d in dimensions} - {None}
    RubricDimension.objects.filter(category=category).exclude(pk__in=kept_ids).delete()
    # Free the names first: the unique (category, name) would refuse a swap of two names.
    for dim in existing.values():
        if dim.pk in kept_ids:
            dim.name = f"~{dim.pk}"
            dim.save(update_fields=["name"])
    result = []
    for order, values in enumerate(dimensions):
        fields = {k: values[k] for k in ("name", "weight", "description", "anchors")}
        dim = existing.get(values.get("pk")) or RubricDimension(category=category)
        for key, value in {**fields, "order": order}.items():
            setattr(dim, key, value)
        dim.save()
        result.append(dim)
    after = [_dimension_values(d) for d in result]
    if after != before:
        audit_record(
            actor=actor, action="rubric.replace", obj=category,
            before={"rubric": before}, after={"rubric": after},
        )  # fmt: skip
    return result
