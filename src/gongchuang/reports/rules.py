"""Who may see which reports (registered with django-rules; see accounts.access).

What the reports of a permitted person cover is their scope (selectors.report_scope).
"""

import rules

from gongchuang.accounts.access import is_committee, is_unit_organizer, organises_unit

# Dashboards, exports and API tokens: the committee (all units) and unit organizers (theirs).
rules.add_perm("reports.view", is_committee | is_unit_organizer)
# Editions (clone, archive), the summary report and API token management.
rules.add_perm("reports.manage", is_committee)
# Add schools under ``unit`` (the integration API).
rules.add_perm("reports.upload_schools", is_committee | organises_unit)
