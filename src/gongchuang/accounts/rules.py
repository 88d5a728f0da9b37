"""The accounts app's permissions (the predicates are in accounts.access)."""

import rules

from .access import is_committee, is_school_coordinator, is_student, is_unit_organizer
from .enums import Role

# Create staff accounts from a spreadsheet.
rules.add_perm("accounts.import_staff", is_committee)
# The list of possible duplicate persons, with merge and void.
rules.add_perm("accounts.manage_duplicates", is_committee)
# Find a student by username or work code (personal data masked outside one's scope).
rules.add_perm("accounts.lookup_students", is_committee | is_unit_organizer | is_school_coordinator)
# Choose that key notices go by SMS to one's guardian too (views/phone.py).
rules.add_perm("accounts.manage_guardian_sms", is_student)
# Turn on two-factor login; accounts.middleware then asks these people for the code.
rules.add_perm("accounts.use_two_factor", is_committee | is_unit_organizer)
# Search and export the audit log (common owns the log and knows no roles).
rules.add_perm("common.view_audit_log", is_committee)

# --- School lists (accounts.schools, accounts.views.schools) ----------------------------------


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
