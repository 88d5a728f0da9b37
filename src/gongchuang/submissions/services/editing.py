"""Who may change a work now: the checks every author-side write repeats under the row lock."""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Edition
from gongchuang.editions.rules import ensure_edition_writable

from .. import rules
from ..enums import EDITABLE_STATES
from ..models import Work


def window_must_be_open(edition: Edition) -> None:
    if not edition.is_open(Step.SUBMISSION):
        raise DomainError(
            _("The submission window of this edition is closed; works can no longer be changed."),
            code="window_closed",
        )


def check_editable(work: Work, actor: User) -> None:
    """Raise the precise reason why ``actor`` may not change ``work`` now (if any)."""
    ensure_edition_writable(work.edition)
    if not rules.is_author(actor, work):
        raise DomainError(_("Only the authors of this work may change it."), code="not_author")
    if work.state not in EDITABLE_STATES:
        raise DomainError(
            _("This work can no longer be changed in its current state."), code="not_editable"
        )
    window_must_be_open(work.edition)


# A work's edition, category and unit never change: the lock re-reads the work's own row
# and keeps the caller's copies of these when it has them.
_FIXED_RELATIONS = ("edition", "category", "unit")


def locked_editable(
    work: Work, actor: User, *, prefetch: tuple[str, ...] = (), refresh: tuple[str, ...] = ()
) -> Work:
    """Re-read the work under a row lock and check that ``actor`` may still edit it.

    Checked on the locked row at the time of the request: a form opened before
    the deadline (or before a state change) is refused when it is sent after it.
    The authorships are read under the lock (the team changes under it too), with
    ``prefetch``. The edition (and its windows), category and unit are the caller's
    when it loaded them in this request (the lock covers none of them either way), and
    the deadline is compared with the clock now. Call inside a transaction.

    With ``refresh`` (it must include ``state``), only those columns are re-read under the
    lock, into ``work`` itself: for changes that depend on nothing else of the row (an
    upload), the rest of the caller's copy stands.
    """
    if refresh:
        fresh = Work.objects.select_for_update().filter(pk=work.pk).values(*refresh).get()
        for name, value in fresh.items():
            setattr(work, name, value)
        getattr(work, "_prefetched_objects_cache", {}).pop("authorships", None)
        locked = work
    else:
        held = {name for name in _FIXED_RELATIONS if Work._meta.get_field(name).is_cached(work)}
        locked = (
            Work.objects.select_for_update(of=("self",))
            .select_related(*(name for name in _FIXED_RELATIONS if name not in held))
            .get(pk=work.pk)
        )
        for name in held:
            setattr(locked, name, getattr(work, name))
    prefetch_related_objects([locked], "authorships", *prefetch)
    check_editable(locked, actor)
    return locked
