"""The accounts app's permissions (the predicates are in accounts.access)."""

import rules

from .access import is_committee, is_school_coordinator, is_unit_organizer

# Create staff accounts from a spreadsheet.
rules.add_perm("accounts.import_staff", is_committee)
# The list of possible duplicate persons, with merge and void.
rules.add_perm("accounts.manage_duplicates", is_committee)
# Find a student by username or work code (personal data masked outside one's scope).
rules.add_perm("accounts.lookup_students", is_committee | is_unit_organizer | is_school_coordinator)
# Turn on two-factor login; accounts.middleware then asks these people for the code.
rules.add_perm("accounts.use_two_factor", is_committee | is_unit_organizer)
# Search and export the audit log (common owns the log and knows no roles).
rules.add_perm("common.view_audit_log", is_committee)
