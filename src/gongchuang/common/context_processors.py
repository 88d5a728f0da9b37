from django.utils.functional import SimpleLazyObject

from gongchuang.common.registry import nav_items_for


def site(request):
    """Role-aware navigation (the links the apps registered), computed lazily.

    The current edition and the unread count come from their own apps' processors
    (``editions.context_processors``, ``notifications.context_processors``).
    """
    user = request.user

    def nav():
        roles = user.roles if user.is_authenticated else set()
        return [(item, item.url()) for item in nav_items_for(roles | {"*"}) if item.url()]

    return {"nav_items": SimpleLazyObject(nav)}
