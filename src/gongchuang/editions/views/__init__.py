"""The committee's edition settings pages: the edition, its windows and rules
(``edition``), its categories, materials and rubrics (``categories``), its banner, logos,
seal and issuer lines (``identity``)."""

from .categories import category_create, category_edit, category_preview, rubric_edit
from .edition import (
    edition_details,
    edition_make_current,
    edition_rules,
    edition_school_confirmation,
    edition_settings,
    window_edit,
)
from .identity import edition_identity, edition_image, edition_image_delete

__all__ = [
    "category_create",
    "category_edit",
    "category_preview",
    "edition_details",
    "edition_identity",
    "edition_image",
    "edition_image_delete",
    "edition_make_current",
    "edition_rules",
    "edition_school_confirmation",
    "edition_settings",
    "rubric_edit",
    "window_edit",
]
