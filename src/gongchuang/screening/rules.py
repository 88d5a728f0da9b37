"""Who may review what. Views and services ask these (through accounts.access); nothing
else decides. Role predicates come from accounts.access; the object-level ones live here."""

import rules

from gongchuang.accounts.access import is_committee, is_unit_organizer
from gongchuang.accounts.enums import Role


@rules.predicate
def can_review_for_unit(user, work) -> bool:
    """A unit organizer reviews works of its own unit(s) only."""
    return user.is_authenticated and work.unit_id in user.unit_ids_for(Role.UNIT_ORGANIZER)


@rules.predicate
def sees_full_names_of(viewer, author_unit_id: int | None) -> bool:
    """Minors' names are shown in full only to their own unit and the committee."""
    if viewer.is_committee:
        return True
    return author_unit_id is not None and author_unit_id in viewer.unit_ids_for(Role.UNIT_ORGANIZER)


# The unit review pages (queue, decisions, prechecks, imports) of a district or university.
rules.add_perm("screening.unit_review", is_unit_organizer)
# Decide on one work in the unit review: only a work of one's own unit.
rules.add_perm("screening.unit_decide", can_review_for_unit)
# The city review: its pages and its decisions.
rules.add_perm("screening.city_review", is_committee)
# Full (unmasked) names of a minor author of ``author_unit_id``.
rules.add_perm("screening.see_full_names", sees_full_names_of)
