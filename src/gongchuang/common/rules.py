"""Who may do what with the shared records (registered with django-rules; see accounts.access)."""

import rules

from gongchuang.accounts.access import is_committee

# Search and export the audit log.
rules.add_perm("common.view_audit_log", is_committee)
