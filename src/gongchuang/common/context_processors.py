from django.utils.functional import SimpleLazyObject

from gongchuang.common.registry import nav_items_for


def site(request):
    """Current edition, role-aware navigation and unread count, computed lazily."""
    from gongchuang.editions.selectors import current_edition
    from gongchuang.notifications.services import unread_count

    user = request.user
    edition = getattr(request, "_current_edition", None)
    if edition is None:
        edition = SimpleLazyObject(current_edition)

    def nav():
        roles = user.roles if user.is_authenticated else set()
        return [(item, item.url()) for item in nav_items_for(roles | {"*"}) if item.url()]

    return {
        "current_edition": edition,
        "nav_items": SimpleLazyObject(nav),
        "unread_count": SimpleLazyObject(
            lambda: unread_count(user) if user.is_authenticated else 0
        ),
    }
