"""The final event and its programme: sessions, their finalists (running order) and judges."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from gongchuang.accounts.access import require
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.models import Edition
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from ..conflicts import has_conflict
from ..models import FinalEvent, FinalistAttendance, Session, SessionJudge, SessionParticipant
from .base import ensure_writable

EVENT_FIELDS = ("name", "starts_on", "ends_on", "venue", "address")


def event_create(
    *,
    edition: Edition,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    venue: str,
    address: str = "",
    actor,
) -> FinalEvent:
    ensure_edition_writable(edition)
    if ends_on < starts_on:
        raise DomainError(_("The final cannot end before it starts."))
    with transaction.atomic():
        event = FinalEvent.objects.create(
            edition=edition,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            venue=venue,
            address=address,
        )
        audit_record(actor=actor, action="final.event_create", obj=event, after={"name": name})
    return event


def event_update(*, event: FinalEvent, actor, **fields) -> FinalEvent:
    """Change the final's name, dates, venue or address (``EVENT_FIELDS``); audited."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    ensure_writable(event)
    with transaction.atomic():
        locked = FinalEvent.objects.select_for_update().get(pk=event.pk)
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        before = {name: str(getattr(locked, name)) for name in changed}
        for name in changed:
            setattr(locked, name, fields[name])
        if locked.ends_on < locked.starts_on:
            raise DomainError(_("The final cannot end before it starts."))
        if changed:
            locked.save(update_fields=changed)
            audit_record(
                actor=actor,
                action="final.event_update",
                obj=locked,
                before=before,
                after={name: str(fields[name]) for name in changed},
            )
    return locked


def session_create(
    *,
    event: FinalEvent,
    kind: str,
    title: str,
    room: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    category=None,
    level: str = "",
    actor,
) -> Session:
    ensure_writable(event)
    if ends_at <= starts_at:
        raise DomainError(_("A session must end after it starts."))
    with transaction.atomic():
        session = Session.objects.create(
            event=event,
            kind=kind,
            title=title,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            category=category,
            level=level,
        )
        audit_record(
            actor=actor,
            action="final.session_create",
            obj=session,
            after={"kind": kind, "room": room},
            edition_id=event.edition_id,
        )
    return session


def _audit_if_added(created: bool, *, session: Session, actor, action: str, after: dict) -> None:
    """Adding a finalist or a judge to a session twice is a no-op: only a new link is audited."""
    if created:
        audit_record(
            actor=actor,
            action=action,
            obj=session,
            after=after,
            edition_id=session.event.edition_id,
        )


def session_add_participant(*, session: Session, work: Work, actor) -> SessionParticipant:
    """Put a finalist work into a session (in running order); refuses conflicts with its judges."""
    ensure_writable(session.event)
    if work.edition_id != session.event.edition_id or work.state != WorkState.FINALIST:
        raise DomainError(_("Only finalist works of this edition can take part in the final."))
    for link in session.judge_links.select_related("judge"):
        if has_conflict(link.judge, work):
            raise DomainError(
                _("Judge %(judge)s has a conflict of interest with this work.")
                % {"judge": link.judge.display_name}
            )
    with transaction.atomic():
        last = session.participants.order_by("-order").values_list("order", flat=True).first()
        participant, created = SessionParticipant.objects.get_or_create(
            session=session, work=work, defaults={"order": (last or 0) + 1}
        )
        FinalistAttendance.objects.get_or_create(event=session.event, work=work)
        _audit_if_added(
            created,
            session=session,
            actor=actor,
            action="final.participant_add",
            after={"work": work.code},
        )
    return participant


def session_add_judge(*, session: Session, judge, actor) -> SessionJudge:
    """Make ``judge`` (an expert or committee member) a judge of a scored session.

    Refused when the judge has a conflict of interest with any work in the session.
    """
    ensure_writable(session.event)
    require(
        judge, "finals.judge", message=_("Only experts and committee members can judge the final.")
    )
    if not session.is_scored:
        raise DomainError(_("This session is not scored."))
    for participant in session.participants.select_related("work"):
        if has_conflict(judge, participant.work):
            raise DomainError(
                _("%(judge)s has a conflict of interest with work %(code)s.")
                % {"judge": judge.display_name, "code": participant.work.code}
            )
    with transaction.atomic():
        link, created = SessionJudge.objects.get_or_create(session=session, judge=judge)
        _audit_if_added(
            created,
            session=session,
            actor=actor,
            action="final.judge_add",
            after={"judge": judge.pk},
        )
    return link
