"""Writes of the editions app: editions and their windows and rules (``editions``),
categories and rubrics (``categories``), banner, logos, seal and issuers (``identity``)."""

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
from .identity import (
    certificate_issuers,
    edition_image_remove,
    edition_image_upload,
    edition_issuers_update,
)

__all__ = [
    "CategoryChangeRefused",
    "Refusal",
    "category_change_refusals",
    "category_create",
    "category_update",
    "certificate_issuers",
    "edition_create_from_defaults",
    "edition_details_update",
    "edition_image_remove",
    "edition_image_upload",
    "edition_issuers_update",
    "edition_make_current",
    "edition_rules_update",
    "edition_school_confirmation_update",
    "rubric_replace",
    "units_ensure_districts",
    "window_extend",
    "window_reschedule",
]
