"""What the final's exchange holds about a person (``accounts.personal_data``): their
sign-ups for the teaching-case exchange, the guidance slots they offered as an expert and
the bookings they made, for the data export and for merging a duplicate account."""

from gongchuang.accounts.personal_data import PersonalDataSource, register_source

from .models import ExchangeSignup, GuidanceBooking, GuidanceSlot


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def exchange_of(user) -> list[dict]:
    rows = [
        {"kind": "exchange_signup", "session": s.session.title, "at": _iso(s.created_at)}
        for s in ExchangeSignup.objects.filter(user=user).select_related("session")
    ]
    rows += [
        {
            "kind": "guidance_slot",
            "starts_at": _iso(slot.starts_at),
            "booked_by_work": slot.booking.work.code if hasattr(slot, "booking") else None,
            "notes": slot.booking.notes if hasattr(slot, "booking") else "",
        }
        for slot in GuidanceSlot.objects.filter(expert=user).select_related("booking__work")
    ]
    rows += [
        {"kind": "guidance_booking", "work": b.work.code, "at": _iso(b.booked_at)}
        for b in GuidanceBooking.objects.filter(booked_by=user).select_related("work")
    ]
    return rows


def exchange_merge(dup, kept) -> dict[str, int]:
    """Move ``dup``'s sign-ups (one per session: a double one is dropped), slots and
    bookings to ``kept``; only what moved is counted."""
    kept_sessions = set(
        ExchangeSignup.objects.filter(user=kept).values_list("session_id", flat=True)
    )
    mine = ExchangeSignup.objects.filter(user=dup)
    dropped, _rows = mine.filter(session_id__in=kept_sessions).delete()
    moved = mine.update(user=kept)
    slots = GuidanceSlot.objects.filter(expert=dup).update(expert=kept)
    bookings = GuidanceBooking.objects.filter(booked_by=dup).update(booked_by=kept)
    counts = {
        "exchange_signups": moved,
        "exchange_signups_dropped": dropped,
        "guidance_slots": slots,
        "guidance_bookings": bookings,
    }
    return {what: n for what, n in counts.items() if n}  # the merge's audit names what moved


register_source(
    PersonalDataSource(key="final_exchange", export=exchange_of, merge=exchange_merge, order=60)
)
