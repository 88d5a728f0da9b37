from django.utils import timezone

from .models import Category, Edition


def current_edition() -> Edition | None:
    """The current edition with its windows prefetched (one query)."""
    return Edition.objects.filter(is_current=True).prefetch_related("windows").first()


def categories_for_level(edition: Edition, level: str) -> list[Category]:
    return [c for c in edition.categories.all() if c.accepts_level(level)]


def open_and_upcoming_windows(edition: Edition, at=None):
    """Windows not yet closed, soonest deadline first (for countdowns)."""
    at = at or timezone.now()
    return sorted((w for w in edition.windows.all() if w.closes_at > at), key=lambda w: w.closes_at)
