"""Writes of the final day: remind a judge, advance the presenter, the projector secret.

Each checks the permission, writes an audit event in its transaction and changes nothing
on refusal (a Chinese ``DomainError``).
"""

import datetime
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.access import require
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.notifications.services import notify_kind

from ..live import REMIND_INTERVAL, missing_sheets
from ..models import FinalEvent, Session, SessionJudge, SessionParticipant
from .base import ensure_writable


def judge_remind(
    *, session: Session, judge_link: SessionJudge, actor, now: datetime.datetime | None = None
) -> int:
    """Send the judge of ``judge_link`` a reminder of their missing sheets in ``session``
    (inbox, e-mail and the committee's wording ``final.score_reminder``); returns the count.

    Refused when nothing is missing, or when the judge was reminded for this session less
    than ``REMIND_INTERVAL`` ago (the board shows when the next reminder is possible).
    """
    require(actor, "finals.remind", message=_("Only the committee can remind judges."))
    ensure_writable(session.event)
    if judge_link.session_id != session.pk:
        raise DomainError(_("This judge is not on the session."), code="invalid")
    now = now or timezone.now()
    with transaction.atomic():
        link = (
            SessionJudge.objects.select_for_update().select_related("judge").get(pk=judge_link.pk)
        )
        if link.reminded_at and now < link.reminded_at + REMIND_INTERVAL:
            raise DomainError(
                _("This judge was reminded at %(time)s; try again after %(next)s.")
                % {
                    "time": timezone.localtime(link.reminded_at).strftime("%H:%M"),
                    "next": timezone.localtime(link.reminded_at + REMIND_INTERVAL).strftime(
                        "%H:%M"
                    ),
                },
                code="too_soon",
            )
        row = next(r for r in missing_sheets(session) if r["link"].pk == link.pk)
        count = len(row["missing"])
        if count == 0:
            raise DomainError(_("This judge has filled in every score sheet."), code="complete")
        link.reminded_at = now
        link.save(update_fields=["reminded_at"])
        notify_kind(
            recipients=[link.judge],
            kind="final.score_reminder",
            context={"session": session.title, "place": session.room, "count": str(count)},
            url=reverse("finals:judge_session", args=[session.pk]),
        )
        audit_record(
            actor=actor,
            action="final.judge_remind",
            obj=session,
            after={"judge": link.judge_id, "missing": count},
            edition_id=session.event.edition_id,
        )
    return count


def session_set_current(
    *, session: Session, participant: SessionParticipant | None, actor
) -> Session:
    """Make ``participant`` the session's current presenter (None: nobody); audited."""
    require(actor, "finals.board", message=_("Only the committee can do this."))
    ensure_writable(session.event)
    if participant is not None and participant.session_id != session.pk:
        raise DomainError(_("This work is not in the session."), code="invalid")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        before = locked.current_participant_id
        new = participant.pk if participant is not None else None
        if before != new:
            locked.current_participant_id = new
            locked.save(update_fields=["current_participant"])
            audit_record(
                actor=actor,
                action="final.current_presenter",
                obj=locked,
                before={"participant": before},
                after={"participant": new},
                edition_id=session.event.edition_id,
            )
    return locked


def session_advance(*, session: Session, actor) -> Session:
    """Move the current presenter to the next in running order (the first if nobody is
    presenting; nobody after the last)."""
    order = list(session.participants.order_by("order", "pk"))
    if not order:
        raise DomainError(_("No finalists in this session yet."), code="empty")
    ids = [p.pk for p in order]
    # From the stored presenter, not the caller's copy (two desks may press "next").
    current = Session.objects.values_list("current_participant_id", flat=True).get(pk=session.pk)
    if current in ids:
        index = ids.index(current) + 1
        following = order[index] if index < len(order) else None
    else:
        following = order[0]
    return session_set_current(session=session, participant=following, actor=actor)


def screen_token_regenerate(*, event: FinalEvent, actor) -> FinalEvent:
    """A new projector secret: the previous links stop working at once; audited."""
    require(actor, "finals.screen_link", message=_("Only the committee can do this."))
    ensure_writable(event)
    with transaction.atomic():
        locked = FinalEvent.objects.select_for_update().get(pk=event.pk)
        had = bool(locked.screen_token)
        locked.screen_token = secrets.token_urlsafe(24)
        locked.save(update_fields=["screen_token"])
        # The secret itself is not written to the audit trail (it is a credential).
        audit_record(
            actor=actor,
            action="final.screen_link",
            obj=locked,
            before={"link": had},
            after={"link": True},
            edition_id=event.edition_id,
        )
    return locked


def screen_token_revoke(*, event: FinalEvent, actor) -> FinalEvent:
    """No projector link works any more until a new one is made; audited."""
    require(actor, "finals.screen_link", message=_("Only the committee can do this."))
    ensure_writable(event)
    with transaction.atomic():
        locked = FinalEvent.objects.select_for_update().get(pk=event.pk)
        if locked.screen_token:
            locked.screen_token = None
            locked.save(update_fields=["screen_token"])
            audit_record(
                actor=actor,
                action="final.screen_link",
                obj=locked,
                before={"link": True},
                after={"link": False},
                edition_id=event.edition_id,
            )
    return locked
