"""The teaching-case exchange (teachers sign up; the committee routes cases) and the
experts' guidance (experts offer slots and write notes; finalists book; the committee sees
the bookings)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError
from gongchuang.common.params import posted_id
from gongchuang.editions.selectors import current_edition

from .. import selectors, services
from ..enums import SessionKind
from ..forms import CapacityForm, GuidanceNotesForm, GuidanceSlotForm, RouteCaseForm
from ..models import ExchangeCase, GuidanceBooking, GuidanceSlot, Session


def _sessions(kind: str):
    event = selectors.current_event()
    if event is None:
        return None, Session.objects.none()
    return event, event.sessions.filter(kind=kind)


def _event_session(pk: int, kind: str) -> Session:
    event = selectors.current_event()
    if event is None:
        raise Http404
    return get_object_or_404(event.sessions.select_related("event__edition"), pk=pk, kind=kind)


# --- teachers: the teaching-case exchange ---------------------------------------------


@permission_required("finals.exchange_signup")
def exchange(request):
    event, sessions = _sessions(SessionKind.TEACHING_EXCHANGE)
    sessions = list(
        sessions.annotate(taken=Count("signups"))
        .prefetch_related("exchange_cases__work__unit")
        .order_by("starts_at")
    )
    mine = set(request.user.exchange_signups.values_list("session_id", flat=True))
    rows = [{"session": s, "taken": s.taken, "signed_up": s.pk in mine} for s in sessions]
    return render(request, "finals/exchange.html", {"event": event, "rows": rows})


@require_POST
@permission_required("finals.exchange_signup")
def exchange_signup(request, pk: int):
    session = _event_session(pk, SessionKind.TEACHING_EXCHANGE)
    try:
        services.exchange_signup(session=session, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have signed up for %(title)s.") % {"title": session.title})
    return redirect("finals:exchange")


@require_POST
@permission_required("finals.exchange_signup")
def exchange_cancel(request, pk: int):
    session = _event_session(pk, SessionKind.TEACHING_EXCHANGE)
    try:
        services.exchange_cancel(session=session, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your sign-up has been cancelled."))
    return redirect("finals:exchange")


@permission_required("finals.manage")
def manage_exchange(request, pk: int):
    """The committee's page of one exchange session: routed cases, seats, sign-ups."""
    session = _event_session(pk, SessionKind.TEACHING_EXCHANGE)
    route_form = RouteCaseForm(request.POST if request.POST.get("do") == "route" else None)
    capacity_form = CapacityForm(
        request.POST if request.POST.get("do") == "capacity" else None,
        initial={"capacity": session.capacity},
    )
    if request.method == "POST":
        try:
            if request.POST.get("do") == "route" and route_form.is_valid():
                services.exchange_case_route(
                    session=session, work=route_form.cleaned_data["work"], actor=request.user
                )
                messages.success(request, _("The case has been routed to this session."))
                return redirect("finals:manage_exchange", pk=pk)
            if request.POST.get("do") == "capacity" and capacity_form.is_valid():
                services.exchange_capacity_set(
                    session=session,
                    capacity=capacity_form.cleaned_data["capacity"],
                    actor=request.user,
                )
                messages.success(request, _("The seats have been saved."))
                return redirect("finals:manage_exchange", pk=pk)
            if request.POST.get("do") == "remove":
                route = get_object_or_404(
                    ExchangeCase, session=session, pk=posted_id(request.POST, "route")
                )
                services.exchange_case_remove(route=route, actor=request.user)
                messages.success(request, _("The case has been removed from this session."))
                return redirect("finals:manage_exchange", pk=pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "finals/manage_exchange.html",
        {
            "session": session,
            "routes": session.exchange_cases.select_related("work__unit"),
            "signups": session.signups.select_related("user__teacher_profile__school"),
            "route_form": route_form,
            "capacity_form": capacity_form,
        },
    )


# --- expert guidance ----------------------------------------------------------------


@permission_required("finals.manage")
def manage_guidance(request, pk: int):
    """The committee's booking table of one guidance session."""
    session = _event_session(pk, SessionKind.EXPERT_GUIDANCE)
    slots = session.guidance_slots.select_related("expert", "booking__work", "booking__booked_by")
    return render(request, "finals/manage_guidance.html", {"session": session, "slots": slots})


@permission_required("finals.offer_guidance")
def expert_guidance(request):
    """An expert's own slots (offer a new one) and bookings (write the notes)."""
    event, sessions = _sessions(SessionKind.EXPERT_GUIDANCE)
    form = GuidanceSlotForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = data["session"]
        day = timezone.localtime(session.starts_at).date()
        tz = timezone.get_current_timezone()
        try:
            services.guidance_slot_create(
                session=session,
                expert=request.user,
                starts_at=datetime.datetime.combine(day, data["starts"], tz),
                ends_at=datetime.datetime.combine(day, data["ends"], tz),
                place=data["place"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The time slot is offered."))
            return redirect("finals:expert_guidance")
    slots = (
        GuidanceSlot.objects.filter(expert=request.user, session__in=sessions)
        .select_related("session", "booking__work")
        .order_by("starts_at")
    )
    return render(
        request, "finals/expert_guidance.html", {"event": event, "form": form, "slots": slots}
    )


def _booking(request, pk: int) -> GuidanceBooking:
    return get_object_or_404(
        GuidanceBooking.objects.select_related("slot__expert", "slot__session", "work", "event"),
        pk=pk,
    )


@permission_required("finals.guidance_notes", obj=_booking)
def guidance_notes(request, pk: int):
    booking = _booking(request, pk)
    form = GuidanceNotesForm(request.POST or None, initial={"notes": booking.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.guidance_notes_save(
                booking=booking, notes=form.cleaned_data["notes"], actor=request.user
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The guidance notes have been saved."))
            return redirect("finals:expert_guidance")
    return render(request, "finals/guidance_notes.html", {"booking": booking, "form": form})


# --- finalists: book a slot, read the notes --------------------------------------------


def _own_final_work(request, work_pk: int):
    return get_object_or_404(
        selectors.final_works_of(request.user, edition=current_edition()), pk=work_pk
    )


@login_required
def guidance_book(request, work_pk: int):
    """A finalist's authors and advisors: the guidance slots, their booking and its notes."""
    work = _own_final_work(request, work_pk)
    event, sessions = _sessions(SessionKind.EXPERT_GUIDANCE)
    booking = (
        GuidanceBooking.objects.filter(event=event, work=work)
        .select_related("slot__expert", "slot__session")
        .first()
    )
    if request.method == "POST":
        try:
            if request.POST.get("do") == "cancel" and booking is not None:
                services.guidance_cancel(booking=booking, user=request.user)
                messages.success(request, _("Your booking has been cancelled."))
            else:
                slot = get_object_or_404(
                    GuidanceSlot.objects.select_related("session__event"),
                    pk=posted_id(request.POST, "slot"),
                    session__in=sessions,
                )
                services.guidance_book(slot=slot, work=work, user=request.user)
                messages.success(request, _("The guidance slot is booked."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("finals:guidance_book", work_pk=work.pk)
    free = (
        GuidanceSlot.objects.filter(
            session__in=sessions, booking__isnull=True, starts_at__gt=timezone.now()
        )
        .select_related("expert", "session")
        .order_by("starts_at")
    )
    return render(
        request,
        "finals/guidance_book.html",
        {"work": work, "event": event, "booking": booking, "free": free},
    )
