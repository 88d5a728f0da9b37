"""Who may do what with notifications (registered with django-rules; see accounts.access)."""

import rules

from gongchuang.accounts.access import is_committee

# Edit or reset the wording of the message templates.
rules.add_perm("notifications.manage_templates", is_committee)
