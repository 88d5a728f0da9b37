"""The committee's edition settings pages: the edition, its windows and rules
(``edition``), its categories, materials and rubrics (``categories``)."""

from .categories import category_create, category_edit, category_preview, rubric_edit
from .edition import (
    edition_details,
    edition_make_current,
    edition_rules,
    edition_school_confirmation,
    edition_settings,
    window_edit,
)

__all__ = [
    "category_create",
    "category_edit",
    "category_preview",
    "edition_details",
    "edition_make_current",
    "edition_rules",
    "edition_school_confirmation",
    "edition_settings",
    "rubric_edit",
    "window_edit",
]
