"""Whether an edition may still be changed. Other apps call these before writing.

An archived edition is read-only: its works, results and certificates stay
viewable and verifiable, but nothing about it changes any more.
"""

from django.utils.translation import gettext as _

from gongchuang.common.errors import DomainError


def edition_is_writable(edition) -> bool:
    return edition is not None and edition.archived_at is None


def ensure_edition_writable(edition) -> None:
    """Raise a DomainError (Chinese message) when ``edition`` is archived."""
    if not edition_is_writable(edition):
        raise DomainError(
            _("This edition is archived and can no longer be changed."), code="archived"
        )
