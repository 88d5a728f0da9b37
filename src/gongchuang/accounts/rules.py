"""The accounts app's permissions (the predicates are in accounts.access)."""

import rules

from .access import (
    is_committee,
    is_school_coordinator,
    is_student,
    is_teacher,
    is_unit_organizer,
)
from .enums import Role
from .helpdesk import can_help
from .onboarding.status import not_signed_in
from .roster import roster_imported_by, schools_for_roster

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

# --- Onboarding (accounts.onboarding) -------------------------------------------------------


@rules.predicate
def has_not_signed_in(user, target) -> bool:
    """``target`` (a User) never signed in: an invitation or a sheet cannot take over an
    account in use (someone who signed in resets a forgotten password instead)."""
    return target is not None and not_signed_in(target)


@rules.predicate
def looks_after(user, target) -> bool:
    """``target`` is one level below ``user`` (accounts.helpdesk), or a student ``user``
    imported from a roster (a teacher importing their class helps nobody otherwise)."""
    if target is None:
        return False
    return can_help(user, target) or roster_imported_by(user, target)


# Resend an invitation to, or print a credentials sheet for, one account (the lists that
# show the account check this per row; the lists themselves are scoped by their own perm).
rules.add_perm("accounts.invite_user", has_not_signed_in & (is_committee | looks_after))
# The credentials sheet download (each chosen account is checked with invite_user).
rules.add_perm(
    "accounts.print_credentials",
    is_committee | is_unit_organizer | is_school_coordinator | is_teacher,
)

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

# --- Help from the level above (accounts.helpdesk, accounts.views.helpdesk) -------------------


@rules.predicate
def helps_person(user, person=None) -> bool:
    """Without a person: may use the help page at all; with one: that person is in reach."""
    if person is None:
        return True
    return can_help(user, person)


# Reset a password (link or one-time password) or lift a lockout for someone one level below.
rules.add_perm(
    "accounts.help_person",
    (is_committee | is_unit_organizer | is_school_coordinator) & helps_person,
)

# --- School rosters (accounts.roster, accounts.views.roster) ----------------------------------


@rules.predicate
def imports_into_school(user, school=None) -> bool:
    """Without a school: may import at all; with one: a school ``user`` may import into."""
    schools = schools_for_roster(user)
    return bool(schools) if school is None else school.pk in {s.pk for s in schools}


# A school coordinator for their school, a teacher for their class: students from a sheet.
rules.add_perm("accounts.import_roster", (is_school_coordinator | is_teacher) & imports_into_school)
