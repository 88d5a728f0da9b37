"""Writes of the editions app: editions and their windows and rules (``editions``),
categories and rubrics (``categories``)."""

from .categories import (
    CategoryChangeRefused,
    Refusal,
    category_change_refusals,
    category_create,
    category_update,
    rubric_replace,
)
from .editions import (
    edition_create_from_defaults,
    edition_details_update,
    edition_make_current,
    edition_rules_update,
    edition_school_confirmation_update,
    units_ensure_districts,
    window_extend,
    window_reschedule,
)

__all__ = [
    "CategoryChangeRefused",
    "Refusal",
    "category_change_refusals",
    "category_create",
    "category_update",
    "edition_create_from_defaults",
    "edition_details_update",
    "edition_make_current",
    "edition_rules_update",
    "edition_school_confirmation_update",
    "rubric_replace",
    "units_ensure_districts",
    "window_extend",
    "window_reschedule",
]
