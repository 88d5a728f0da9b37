"""The demo's steps, in the order they run: each fills one app's pages and may use what
the earlier ones made (people first, then works, then each phase on those works)."""

from collections.abc import Callable

from . import (
    accounts,
    editions,
    exchange,
    finals,
    judging,
    notifications,
    onboarding,
    portal,
    publicity,
    reports,
    roster,
    screening,
    submissions,
)
from .context import DemoContext

STEPS: list[Callable[[DemoContext], None]] = [
    accounts.seed_people,
    editions.seed_identity,
    submissions.seed_works,
    screening.seed_screening,
    screening.seed_school_confirmation,
    judging.seed_judging,
    onboarding.seed_invitations,
    roster.seed_roster,
    finals.seed_final,
    finals.seed_past_final,
    judging.seed_practice,
    publicity.seed_publicity,
    portal.seed_portal,
    exchange.seed_exchange,
    notifications.seed_messages,
    reports.seed_reports,
    reports.seed_surveys,
]
