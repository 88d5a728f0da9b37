import copy
import time

from django.conf import settings
from django.utils import timezone

from .enums import ImageKind
from .models import Category, Edition, EditionImage
from .usage import category_holds

# (valid until, edition with its windows) of this process: nearly every request reads the
# current edition and its windows, which change a few times a year.
_current: tuple[float, Edition | None] | None = None


def current_edition() -> Edition | None:
    """The current edition with its windows prefetched.

    Kept by each process for ``CURRENT_EDITION_CACHE_SECONDS`` (0: read every time), with
    its categories too: a change made through the models is seen at once by the process
    making it (``common.kept.forget_on_change``, see apps.py) and within that many seconds
    by the others. Each caller gets its own copy of the edition (the windows and categories
    are shared: read them, never change them).
    """
    global _current
    ttl = settings.CURRENT_EDITION_CACHE_SECONDS
    if ttl <= 0:
        return _read_current()
    entry, now = _current, time.monotonic()
    if entry is None or entry[0] <= now:
        entry = _current = (now + ttl, _read_current("categories"))
    return copy.copy(entry[1])


def _read_current(*also: str) -> Edition | None:
    return Edition.objects.filter(is_current=True).prefetch_related("windows", *also).first()


def clear_current_edition_cache() -> None:
    global _current
    _current = None


def edition_with_windows(edition_id: int) -> Edition:
    """The edition ``edition_id`` with its windows: the kept current edition when it is that
    one (no query, categories included), else read now."""
    if settings.CURRENT_EDITION_CACHE_SECONDS > 0:
        current = current_edition()
        if current is not None and current.pk == edition_id:
            return current
    return Edition.objects.prefetch_related("windows").get(pk=edition_id)


def kept_category(edition: Edition, category_id: int) -> Category | None:
    """The category ``category_id`` from the edition's prefetched categories, or None when
    they were not read with it (the caller then reads the category itself)."""
    kept = getattr(edition, "_prefetched_objects_cache", {}).get("categories")
    if kept is None:
        return None
    return next((category for category in kept if category.pk == category_id), None)


def categories_for_level(edition: Edition, level: str) -> list[Category]:
    return [c for c in edition.categories.all() if c.accepts_level(level)]


def open_and_upcoming_windows(edition: Edition, at=None):
    """Windows not yet closed, soonest deadline first (for countdowns)."""
    at = at or timezone.now()
    return sorted((w for w in edition.windows.all() if w.closes_at > at), key=lambda w: w.closes_at)


def category_has_submitted_works(category: Category) -> bool:
    """Whether a work has been submitted in ``category`` (any state but draft or withdrawn):
    its rules may then only widen (``services.categories.category_change_refusals``)."""
    return category_holds("submitted", category)


def category_has_reviews(category: Category) -> bool:
    """Whether an expert or a final judge has scored a work of ``category`` on its rubric
    (their scores are kept by dimension id)."""
    return category_holds("scored", category)


def edition_public_images(edition: Edition) -> dict:
    """The home page's identity: ``{"banner": EditionImage | None, "logos": [...]}`` (the
    seal is never public)."""
    images = list(edition.images.filter(kind__in=[ImageKind.BANNER, ImageKind.LOGO]))
    return {
        "banner": next((i for i in images if i.kind == ImageKind.BANNER), None),
        "logos": [i for i in images if i.kind == ImageKind.LOGO],
    }


def public_edition_image(pk: int) -> EditionImage | None:
    """A banner or logo by id (anyone may see them); None for a seal or nothing."""
    return EditionImage.objects.filter(pk=pk, kind__in=[ImageKind.BANNER, ImageKind.LOGO]).first()


def current_phase_dates(edition: Edition, at=None) -> dict | None:
    """The phase open now with its dates (the first opening and last closing of its open
    windows): ``{"phase": Phase, "opens_at": ..., "closes_at": ...}``, or None."""
    at = at or timezone.now()
    phase = edition.current_phase(at)
    if phase is None:
        return None
    windows = [w for w in edition.windows.all() if w.phase == phase and w.is_open(at)]
    return {
        "phase": phase,
        "opens_at": min(w.opens_at for w in windows),
        "closes_at": max(w.closes_at for w in windows),
    }
