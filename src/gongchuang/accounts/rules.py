"""Who may do what with accounts' objects (permissions named with ``rules.add_perm``)."""

import rules

from .access import is_committee, is_unit_organizer
from .enums import Role

# --- School lists (accounts.schools, accounts.views_schools) ----------------------------------


@rules.predicate
def organises_unit_of_school(user, school) -> bool:
    """``school`` (or a unit: a school to be added to it) lies in a unit ``user`` organises."""
    if school is None or not user.is_authenticated:
        return False
    unit_id = getattr(school, "unit_id", None) or school.pk
    return unit_id in user.unit_ids_for(Role.UNIT_ORGANIZER)


# The school list page: the committee across districts, an organiser for its own unit(s).
rules.add_perm("accounts.manage_schools", is_committee | is_unit_organizer)
# One school (or a unit, for adding and importing): the committee, or the unit's organiser.
rules.add_perm("accounts.change_school", is_committee | organises_unit_of_school)

# --- end of school lists ----------------------------------------------------------------------
