"""The teaching-case exchange (routed cases, teachers' sign-ups) and the experts' guidance
(slots, bookings, notes) at the final. Keyword-only, audited, transactional."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.access import require
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import CategoryCode
from gongchuang.submissions.models import Work

from ..enums import SessionKind
from ..models import ExchangeCase, ExchangeSignup, GuidanceBooking, GuidanceSlot, Session
from ..selectors import FINAL_STATES
from .base import ensure_writable, require_on_work

NOTES_MAX_CHARS = 4000


def _session_of_kind(session: Session, kind: str) -> None:
    if session.kind != kind:
        raise DomainError(_("This session is not of the right kind for this."), code="kind")


# --- teaching-case exchange --------------------------------------------------------


def exchange_case_route(*, session: Session, work: Work, actor) -> ExchangeCase:
    """Route a public teaching case into a teaching-exchange session (committee; audited)."""
    require(actor, "finals.manage")
    ensure_writable(session.event)
    _session_of_kind(session, SessionKind.TEACHING_EXCHANGE)
    if work.category.code != CategoryCode.TEACHING_CASE or not (
        work.is_public and work.showcase_consent
    ):
        raise DomainError(
            _("Only teaching cases shown in the public case library can be routed."),
            code="not_public_case",
        )
    with transaction.atomic():
        last = session.exchange_cases.order_by("-order").values_list("order", flat=True).first()
        route, created = ExchangeCase.objects.get_or_create(
            session=session, work=work, defaults={"order": (last or 0) + 1}
        )
        if created:
            audit_record(
                actor=actor, action="final.exchange_case_route", obj=session,
                after={"work": work.pk, "title": work.title},
            )  # fmt: skip
    return route


def exchange_case_remove(*, route: ExchangeCase, actor) -> None:
    require(actor, "finals.manage")
    ensure_writable(route.session.event)
    with transaction.atomic():
        audit_record(
            actor=actor, action="final.exchange_case_remove", obj=route.session,
            before={"work": route.work_id},
        )  # fmt: skip
        route.delete()


def exchange_capacity_set(*, session: Session, capacity: int | None, actor) -> Session:
    require(actor, "finals.manage")
    ensure_writable(session.event)
    _session_of_kind(session, SessionKind.TEACHING_EXCHANGE)
    if capacity is not None and capacity < session.signups.count():
        raise DomainError(
            _("More teachers have signed up than this number of seats."), code="capacity"
        )
    with transaction.atomic():
        before = session.capacity
        session.capacity = capacity
        session.save(update_fields=["capacity"])
        audit_record(
            actor=actor, action="final.exchange_capacity", obj=session,
            before={"capacity": before}, after={"capacity": capacity},
        )  # fmt: skip
    return session


def exchange_signup(*, session: Session, user) -> ExchangeSignup:
    """Sign a teacher up for a teaching-exchange session, within its seats.

    The session row is locked while the seats are counted, so two teachers taking the
    last seat at once get one seat and one refusal; one sign-up per person (unique).
    """
    require(user, "finals.exchange_signup", message=_("Only teachers can sign up."))
    ensure_writable(session.event)
    _session_of_kind(session, SessionKind.TEACHING_EXCHANGE)
    try:
        with transaction.atomic():
            locked = Session.objects.select_for_update().get(pk=session.pk)
            if locked.capacity is None:
                raise DomainError(_("This session is not open for sign-up."), code="closed")
            if timezone.now() >= locked.ends_at:
                raise DomainError(_("This session is over."), code="over")
            if ExchangeSignup.objects.filter(session=locked, user=user).exists():
                raise DomainError(_("You have already signed up for this session."), code="dup")
            if locked.signups.count() >= locked.capacity:
                raise DomainError(_("All seats of this session are taken."), code="full")
            signup = ExchangeSignup.objects.create(session=locked, user=user)
            audit_record(actor=user, action="final.exchange_signup", obj=locked)
    except IntegrityError as exc:
        raise DomainError(_("You have already signed up for this session."), code="dup") from exc
    return signup


def exchange_cancel(*, session: Session, user) -> None:
    ensure_writable(session.event)
    with transaction.atomic():
        deleted, _rows = ExchangeSignup.objects.filter(session=session, user=user).delete()
        if not deleted:
            raise DomainError(_("You have not signed up for this session."), code="none")
        audit_record(actor=user, action="final.exchange_cancel", obj=session)


# --- expert guidance --------------------------------------------------------------


def guidance_slot_create(
    *,
    session: Session,
    expert,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    actor,
) -> GuidanceSlot:
    """An expert offers a time slot inside an expert-guidance session (the expert or the
    committee on their behalf; audited)."""
    if actor.pk != expert.pk:
        require(actor, "finals.manage")
    require(expert, "finals.offer_guidance", message=_("Only experts can offer guidance."))
    ensure_writable(session.event)
    _session_of_kind(session, SessionKind.EXPERT_GUIDANCE)
    if ends_at <= starts_at:
        raise DomainError(_("A time slot must end after it starts."), code="order")
    if starts_at < session.starts_at or ends_at > session.ends_at:
        raise DomainError(_("The time slot must lie within the session's time."), code="outside")
    if GuidanceSlot.objects.filter(
        expert=expert, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exists():
        raise DomainError(_("You already offer a time slot at this time."), code="overlap")
    try:
        with transaction.atomic():
            slot = GuidanceSlot.objects.create(
                session=session, expert=expert, starts_at=starts_at, ends_at=ends_at, place=place
            )
            audit_record(
                actor=actor, action="final.guidance_slot_create", obj=session,
                after={"expert": expert.pk, "starts_at": starts_at.isoformat()},
            )  # fmt: skip
    except IntegrityError as exc:
        raise DomainError(_("You already offer a time slot at this time."), code="overlap") from exc
    return slot


def guidance_book(*, slot: GuidanceSlot, work: Work, user) -> GuidanceBooking:
    """Book ``slot`` for a finalist ``work`` (an author or advisor books).

    One booking per slot and one per work at the final: both are database constraints,
    so two people booking at once get one booking and a Chinese refusal.
    """
    require_on_work(work, user)
    event = slot.session.event
    ensure_writable(event)
    if work.edition_id != event.edition_id or work.state not in FINAL_STATES:
        raise DomainError(_("Only finalist works can book expert guidance."), code="not_finalist")
    if timezone.now() >= slot.starts_at:
        raise DomainError(_("This time slot has already begun."), code="past")
    try:
        with transaction.atomic():
            locked = GuidanceSlot.objects.select_for_update().get(pk=slot.pk)
            if GuidanceBooking.objects.filter(slot=locked).exists():
                raise DomainError(_("This time slot has just been booked."), code="taken")
            if GuidanceBooking.objects.filter(event=event, work=work).exists():
                raise DomainError(
                    _("This work has already booked a guidance slot."), code="one_per_work"
                )
            booking = GuidanceBooking.objects.create(
                slot=locked, event=event, work=work, booked_by=user
            )
            audit_record(
                actor=user, action="final.guidance_book", obj=work,
                after={"slot": locked.pk, "expert": locked.expert_id},
            )  # fmt: skip
    except IntegrityError as exc:
        raise DomainError(
            _("This time slot or this work is already booked."), code="taken"
        ) from exc
    return booking


def guidance_cancel(*, booking: GuidanceBooking, user) -> None:
    """Cancel a booking before its guidance took place (notes not yet written)."""
    require_on_work(booking.work, user)
    ensure_writable(booking.event)
    if booking.notes_at is not None:
        raise DomainError(_("The guidance has taken place already."), code="done")
    with transaction.atomic():
        audit_record(
            actor=user, action="final.guidance_cancel", obj=booking.work,
            before={"slot": booking.slot_id},
        )  # fmt: skip
        booking.delete()


def guidance_notes_save(*, booking: GuidanceBooking, notes: str, actor) -> GuidanceBooking:
    """The slot's expert records the guidance notes the authors and advisors read (audited)."""
    require(actor, "finals.guidance_notes", booking)
    ensure_writable(booking.event)
    notes = notes.strip()
    if not notes:
        raise DomainError(_("Write the guidance notes first."), code="empty")
    if len(notes) > NOTES_MAX_CHARS:
        raise DomainError(
            _("The notes may have at most %(n)d characters.") % {"n": NOTES_MAX_CHARS},
            code="too_long",
        )
    with transaction.atomic():
        changed = booking.notes != notes
        booking.notes = notes
        booking.notes_at = timezone.now()
        booking.save(update_fields=["notes", "notes_at"])
        if changed:
            audit_record(
                actor=actor, action="final.guidance_notes", obj=booking.work,
                after={"booking": booking.pk, "chars": len(notes)},
            )  # fmt: skip
    return booking
