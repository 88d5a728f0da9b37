from django.utils.functional import SimpleLazyObject

from .selectors import current_edition as _current_edition


def current_edition(request):
    """The current edition, loaded only if a template reads it."""
    edition = getattr(request, "_current_edition", None)
    if edition is None:
        edition = SimpleLazyObject(_current_edition)
    return {"current_edition": edition}
