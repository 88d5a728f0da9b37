"""Who may manage what on the portal (registered with django-rules; see accounts.access)."""

import rules

from gongchuang.accounts.access import is_committee, is_teacher, is_unit_organizer, organises_unit
from gongchuang.accounts.enums import Role


@rules.predicate
def notice_of_own_unit(user, notice) -> bool:
    """A unit organizer changes the notices of the units they organise (never the city's)."""
    return bool(
        user.is_authenticated
        and notice.unit_id is not None
        and notice.unit_id in user.unit_ids_for(Role.UNIT_ORGANIZER)
    )


# The notice pages: the committee (city and every unit) and unit organizers (their units).
rules.add_perm("portal.write_notices", is_committee | is_unit_organizer)
# Write a notice for ``unit`` (None: the city, committee only).
rules.add_perm("portal.write_notice_for", is_committee | organises_unit)
# Change, publish, pin or attach files to one notice.
rules.add_perm("portal.change_notice", is_committee | notice_of_own_unit)
# The guide documents.
rules.add_perm("portal.manage_guide", is_committee)
# The public showcase: show or hide works, import past editions' works.
rules.add_perm("portal.manage_showcase", is_committee)


@rules.predicate
def is_case_author(user, question) -> bool:
    """An author of the teaching case the question is about (answers it)."""
    return bool(
        user.is_authenticated
        and question is not None
        and question.work.authorships.filter(user=user, role="author").exists()
    )


# Questions on public teaching cases: signed-in teachers ask, the case's authors answer,
# the committee moderates (pre-moderation: nothing is shown before approval).
rules.add_perm("portal.ask_case_question", is_teacher)
rules.add_perm("portal.answer_case_question", is_case_author)
rules.add_perm("portal.moderate_case_questions", is_committee)
