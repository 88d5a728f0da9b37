"""Whether an edition may still be changed.

An archived edition is read-only: its works, reviews, results and certificates
stay viewable, exportable and verifiable, but nothing about it changes any more.
Every service that writes data belonging to an edition calls
:func:`ensure_edition_writable` first, in one place per app (its locked-row
helper or window check), so the refusal comes before any other reason.
"""

import rules
from django.utils.translation import gettext as _

from gongchuang.accounts.access import is_committee
from gongchuang.common.errors import DomainError

# Change an edition's windows, categories, rubric and settings.
rules.add_perm("editions.manage", is_committee)


def edition_is_writable(edition) -> bool:
    return edition is not None and edition.archived_at is None


def ensure_edition_writable(edition) -> None:
    """Raise a DomainError (code ``archived``, Chinese message) when ``edition`` is archived."""
    if not edition_is_writable(edition):
        raise DomainError(
            _("This edition is archived and can no longer be changed."), code="archived"
        )
