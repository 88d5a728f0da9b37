from django.utils.functional import SimpleLazyObject

from .services import unread_count as _unread_count


def unread_count(request):
    """The signed-in person's unread inbox messages, counted only if a template reads it."""
    user = request.user
    return {
        "unread_count": SimpleLazyObject(
            lambda: _unread_count(user) if user.is_authenticated else 0
        )
    }
