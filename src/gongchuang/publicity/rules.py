"""Who may do what with publicity lists and objections (django-rules; see accounts.access)."""

import rules

from gongchuang.accounts.access import is_committee
from gongchuang.accounts.enums import Role

from .enums import StatementFrom


@rules.predicate
def can_give_statement(user, objection) -> bool:
    """The party the committee asked: the work's authors and advisors, or its unit's organizers."""
    if not user.is_authenticated:
        return False
    work = objection.entry.work
    if objection.statement_from == StatementFrom.AUTHORS:
        return work.authorships.filter(user=user).exists()
    if objection.statement_from == StatementFrom.UNIT:
        return work.unit_id in user.unit_ids_for(Role.UNIT_ORGANIZER)
    return False


# Publish lists, confirm them final or reopen them; the objection queue and its decisions.
rules.add_perm("publicity.manage", is_committee)
# Answer the committee's request for a statement on ``objection``.
rules.add_perm("publicity.give_statement", can_give_statement)
