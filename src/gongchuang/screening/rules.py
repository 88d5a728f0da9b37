"""Who may review what. Views and services ask these (through accounts.access); nothing
else decides. Role predicates come from accounts.access; the object-level ones live here."""

import rules

from gongchuang.accounts.access import is_committee, is_school_coordinator, is_unit_organizer
from gongchuang.accounts.enums import Role


@rules.predicate
def can_review_for_unit(user, work) -> bool:
    """A unit organizer reviews works of its own unit(s) only."""
    return user.is_authenticated and work.unit_id in user.unit_ids_for(Role.UNIT_ORGANIZER)


@rules.predicate
def can_confirm_for_school(user, work) -> bool:
    """A school coordinator confirms (or returns) works of their own school(s) only."""
    return user.is_authenticated and work.school_id in user.school_ids_for(Role.SCHOOL_COORDINATOR)


@rules.predicate
def sees_full_names_of(viewer, author_unit_id: int | None) -> bool:
    """Minors' names are shown in full only to their own unit and the committee."""
    if viewer.is_committee:
        return True
    return author_unit_id is not None and author_unit_id in viewer.unit_ids_for(Role.UNIT_ORGANIZER)


# The school confirmation pages (学校确认: queue, work, bulk confirm) of a school coordinator.
rules.add_perm("screening.school_confirm", is_school_coordinator)
# Confirm or return one work: only a work of one's own school.
rules.add_perm("screening.school_decide", can_confirm_for_school)
# The unit review pages (queue, decisions, prechecks, imports) of a district or university.
rules.add_perm("screening.unit_review", is_unit_organizer)
# Decide on one work in the unit review: only a work of one's own unit.
rules.add_perm("screening.unit_decide", can_review_for_unit)
# The city review: its pages and its decisions.
rules.add_perm("screening.city_review", is_committee)
# Full (unmasked) names of a minor author of ``author_unit_id``.
rules.add_perm("screening.see_full_names", sees_full_names_of)
