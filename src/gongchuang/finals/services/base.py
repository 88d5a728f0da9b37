"""Checks every write of the final starts with."""

from django.utils.translation import gettext as _

from gongchuang.common.errors import DomainError
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.submissions.models import Work

from ..models import FinalEvent


def ensure_writable(event: FinalEvent) -> None:
    """Every write to the final (programme, attendance, tasks, scores, results) checks this
    first: an archived edition's final is read-only (its certificates stay verifiable)."""
    ensure_edition_writable(event.edition)


def require_on_work(work: Work, user) -> None:
    """Refuse (``forbidden``) unless ``user`` is an author or advisor of ``work``."""
    if not work.authorships.filter(user=user).exists():
        raise DomainError(
            _("Only the authors and advisors of a work can do this."), code="forbidden"
        )
