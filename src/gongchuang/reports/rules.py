"""Who may see which reports (registered with django-rules; see accounts.access).

What the reports of a permitted person cover is their scope (selectors.report_scope).
"""

import rules

from gongchuang.accounts.access import is_committee, is_unit_organizer, organises_unit
from gongchuang.accounts.enums import Role

# Dashboards, exports and API tokens: the committee (all units) and unit organizers (theirs).
rules.add_perm("reports.view", is_committee | is_unit_organizer)
# Editions (clone, archive), the summary report and API token management.
rules.add_perm("reports.manage", is_committee)
# Add schools under ``unit`` (the integration API).
rules.add_perm("reports.upload_schools", is_committee | organises_unit)

# Feedback surveys (issue 19): the committee edits, opens and closes them (``reports.manage``);
# a person answers the open survey of an audience they belong to.
AUDIENCE_ROLES = {
    "students": {Role.STUDENT},
    "teachers": {Role.TEACHER},
    "experts": {Role.EXPERT},
    "units": {Role.UNIT_ORGANIZER, Role.SCHOOL_COORDINATOR},
}


@rules.predicate
def in_survey_audience(user, survey) -> bool:
    return bool(
        user.is_authenticated
        and survey is not None
        and AUDIENCE_ROLES.get(survey.audience, set()) & set(user.roles)
    )


rules.add_perm("reports.answer_survey", in_survey_audience)
