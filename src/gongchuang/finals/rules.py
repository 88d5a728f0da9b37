"""Who may do what at the final (registered with django-rules; see accounts.access)."""

import rules

from gongchuang.accounts.access import (
    is_committee,
    is_expert,
    is_teacher,
    is_unit_organizer,
    organises_unit,
)

#: The committee runs the final: programme, judges, finalists, tasks, check-in, results.
can_manage_final = is_committee

rules.add_perm("finals.manage", can_manage_final)
# The certificate pages: the committee and unit organizers (each sees their own batches).
rules.add_perm("finals.certificates", is_committee | is_unit_organizer)
# Generate the certificates of ``unit`` (None: all units, committee only).
rules.add_perm("finals.generate_certificates", is_committee | organises_unit)
# Be a judge of a scored session (checked on the person made judge, not the actor).
rules.add_perm("finals.judge", is_expert | is_committee)

# The final day (issue 19): the live board of missing score sheets and its reminders, the
# current presenter, the projector links and the check-in desk. The committee runs them
# today; a venue-staff role would be added here, in one place.
can_run_final_day = can_manage_final
rules.add_perm("finals.board", can_run_final_day)
rules.add_perm("finals.remind", can_run_final_day)
rules.add_perm("finals.checkin", can_run_final_day)
rules.add_perm("finals.screen_link", can_run_final_day)

@rules.predicate
def is_slot_expert(user, booking) -> bool:
    """The expert whose guidance slot was booked (writes the notes)."""
    return bool(user.is_authenticated and booking is not None and booking.slot.expert_id == user.pk)


# Teachers sign up for the teaching-case exchange session.
rules.add_perm("finals.exchange_signup", is_teacher)
# Experts offer guidance slots and see their bookings.
rules.add_perm("finals.offer_guidance", is_expert)
# Write the guidance notes of one booking: its expert only.
rules.add_perm("finals.guidance_notes", is_slot_expert)
