"""Who may do what with a work (object-level predicates; the services enforce them)."""

import rules

from gongchuang.accounts.access import is_school_coordinator
from gongchuang.editions.enums import Step
from gongchuang.editions.rules import edition_is_writable

from .enums import EDITABLE_STATES, AuthorRole, WorkState

# A work may be withdrawn by its authors in these states (DOMAIN.md: "before qualified").
WITHDRAWABLE_STATES = frozenset(
    {
        WorkState.DRAFT,
        WorkState.AWAITING_SCHOOL,
        WorkState.SCHOOL_RETURNED,
        WorkState.SUBMITTED,
        WorkState.RETURNED,
        WorkState.RECOMMENDED,
    }
)


def membership_of(user, work):
    """The user's accepted authorship of ``work`` (uses the prefetched list), or None."""
    if not user.is_authenticated:
        return None
    for authorship in work.authorships.all():
        if authorship.user_id == user.pk and authorship.accepted_at is not None:
            return authorship
    return None


def is_author(user, work) -> bool:
    authorship = membership_of(user, work)
    return authorship is not None and authorship.role == AuthorRole.AUTHOR


def is_creator(user, work) -> bool:
    return user.is_authenticated and work.created_by_id == user.pk


def submission_open(work) -> bool:
    """The work's submission window is open (never in an archived edition)."""
    return submission_open_for(work.edition)


def can_edit(user, work) -> bool:
    """Authors edit while the work is a draft or returned, inside the submission window."""
    return is_author(user, work) and work.state in EDITABLE_STATES and submission_open(work)


def can_manage_team(user, work) -> bool:
    """Only the creator invites or removes people, and only while the work is a draft."""
    return is_creator(user, work) and work.state == WorkState.DRAFT and submission_open(work)


def can_withdraw(user, work) -> bool:
    return (
        is_author(user, work)
        and work.state in WITHDRAWABLE_STATES
        and edition_is_writable(work.edition)
    )


def submission_open_for(edition) -> bool:
    return edition_is_writable(edition) and edition.is_open(Step.SUBMISSION)


# The school coordinator's list of their schools' works.
rules.add_perm("submissions.coordinate", is_school_coordinator)
