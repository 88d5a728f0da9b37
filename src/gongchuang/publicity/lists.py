"""Publishing publicity lists, reopening and confirming them final (audited).

An award list is built from the final's locked results (the proposed star levels and
special awards) while the works are still finalists: results are published, works
become awarded and certificates exist only after the award list is confirmed final.
"""

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.defaults import DEFAULT_SETTINGS
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.finals.models import FinalEvent
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from .enums import PENDING_OBJECTION_STATES, ListKind
from .models import Objection, PublicHoliday, PublicityEntry, PublicityList
from .workdays import publicity_end

WINDOW_SETTING = {
    ListKind.FINALIST: "publicity_working_days",
    ListKind.AWARD: "award_publicity_working_days",
}


def window_end_for(published_at: datetime.datetime, working_days: int) -> datetime.datetime:
    """End of a publicity window, with the configured holidays (local time)."""
    local = timezone.localtime(published_at)
    days = PublicHoliday.objects.filter(date__gte=local.date())
    holidays = {d.date for d in days if not d.is_working_day}
    workdays = {d.date for d in days if d.is_working_day}
    return publicity_end(local, working_days, holidays=holidays, extra_workdays=workdays)


def working_days_for(edition, kind: str) -> int:
    """The edition's window in working days: ``award_publicity_working_days`` for award
    lists (falling back to ``publicity_working_days``), ``publicity_working_days`` otherwise."""
    settings = edition.settings or {}
    default = int(
        settings.get("publicity_working_days", DEFAULT_SETTINGS["publicity_working_days"])
    )
    if kind == ListKind.AWARD:
        return int(settings.get(WINDOW_SETTING[ListKind.AWARD], default))
    return default


def format_end(publicity: PublicityList) -> str:
    return timezone.localtime(publicity.ends_at).strftime("%Y-%m-%d %H:%M")


def proposed_award_works(edition) -> list[Work]:
    """Finalists with a star level or a special award in the final's locked results."""
    event = FinalEvent.objects.filter(edition=edition).first()
    if event is None or not event.is_locked:
        raise DomainError(
            _("Lock the final's results before publishing the award list."), code="not_locked"
        )
    if event.is_published:
        raise DomainError(_("The results are already published."), code="published")
    starred = event.results.exclude(star_level="").values_list("work_id", flat=True)
    special = event.special_awards.values_list("work_id", flat=True)
    return list(
        Work.objects.filter(
            edition=edition, state=WorkState.FINALIST, pk__in=[*starred, *special]
        ).order_by("category__order", "code")
    )


def _chosen(edition, kind: str, works: Iterable[Work] | None) -> list[Work]:
    if kind == ListKind.AWARD:
        proposed = proposed_award_works(edition)
        if works is not None and {w.pk for w in works} != {w.pk for w in proposed}:
            raise DomainError(
                _("The award list lists exactly the awards of the locked results."),
                code="wrong_works",
            )
        return proposed
    if works is not None:
        return list(works)
    return list(
        Work.objects.filter(edition=edition, state=WorkState.FINALIST).order_by(
            "category__order", "code"
        )
    )


@transaction.atomic
def publicity_publish(
    *, edition, kind: str, title: str, actor, works: Iterable[Work] | None = None, now=None
) -> PublicityList:
    """Publish the finalist list (finalist works) or the award list (the locked results'
    awards; one per edition) of ``edition`` for its publicity window."""
    ensure_edition_writable(edition)
    now = now or timezone.now()
    kind = ListKind(kind)
    chosen = _chosen(edition, kind, works)
    if not chosen and kind != ListKind.AWARD:  # an award list may say "no awards"
        raise DomainError(_("There are no works to publish on this list."), code="empty_list")
    if any(w.state != WorkState.FINALIST or w.edition_id != edition.pk for w in chosen):
        raise DomainError(
            _("Only works of this edition in the list's state can be published."),
            code="wrong_state",
        )
    try:
        with transaction.atomic():
            publicity = PublicityList.objects.create(
                edition=edition,
                kind=kind,
                title=title,
                published_at=now,
                ends_at=window_end_for(now, working_days_for(edition, kind)),
                published_by=actor,
            )
    except IntegrityError as exc:  # publicity_one_award_list_per_edition
        raise DomainError(
            _("This edition's award list is already published."), code="duplicate"
        ) from exc
    PublicityEntry.objects.bulk_create(
        PublicityEntry(publicity_list=publicity, work=w, order=i) for i, w in enumerate(chosen)
    )
    audit_record(
        actor=actor,
        action="publicity.publish",
        obj=publicity,
        after={
            "kind": kind,
            "works": [w.pk for w in chosen],
            "ends_at": publicity.ends_at.isoformat(),
        },
    )
    return publicity


@transaction.atomic
def publicity_reopen(*, publicity: PublicityList, actor, reason: str, now=None) -> PublicityList:
    """After an upheld objection the committee may put the list back into publicity:
    a new full window from now (the edition's working days). Not once final."""
    now = now or timezone.now()
    locked = PublicityList.objects.select_for_update().get(pk=publicity.pk)
    ensure_edition_writable(locked.edition)
    if locked.is_final:
        raise DomainError(_("A confirmed list cannot change."), code="final")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for a new publicity period."), code="no_reason")
    before = {
        "published_at": locked.published_at.isoformat(),
        "ends_at": locked.ends_at.isoformat(),
    }
    locked.published_at = now
    locked.ends_at = window_end_for(now, working_days_for(locked.edition, locked.kind))
    locked.save(update_fields=["published_at", "ends_at"])
    audit_record(
        actor=actor,
        action="publicity.reopen",
        obj=locked,
        before=before,
        after={"published_at": now.isoformat(), "ends_at": locked.ends_at.isoformat()},
        reason=reason,
    )
    return locked


@transaction.atomic
def publicity_confirm_final(*, publicity: PublicityList, actor, now=None) -> PublicityList:
    """Confirm a list final (公示结束): only after its window, with every objection decided.
    A window of 0 working days ends at publication; objections are still checked."""
    now = now or timezone.now()
    locked = PublicityList.objects.select_for_update().get(pk=publicity.pk)
    ensure_edition_writable(locked.edition)
    if locked.is_final:
        raise DomainError(_("This list is already final."), code="already_final")
    if now < locked.ends_at:
        raise DomainError(
            _("The publicity period has not ended yet (it ends at %(end)s).")
            % {"end": format_end(locked)},
            code="too_early",
        )
    pending = Objection.objects.filter(
        entry__publicity_list=locked, state__in=list(PENDING_OBJECTION_STATES)
    ).count()
    if pending:
        raise DomainError(
            _("%(n)d objection(s) on this list are not decided yet.") % {"n": pending},
            code="pending_objections",
        )
    locked.final_at, locked.final_by = now, actor
    locked.save(update_fields=["final_at", "final_by"])
    audit_record(actor=actor, action="publicity.confirm_final", obj=locked)
    return locked
