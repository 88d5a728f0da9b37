from django.utils.functional import SimpleLazyObject

from gongchuang.common.registry import nav_for, uses_side_nav


def site(request):
    """Role-shaped navigation (the links the apps registered), computed lazily.

    ``nav``: the top-level entries (links, or groups of links with the counts of what
    waits); ``side_nav``: whether the person works through queues (grouped side menu).
    The current edition and the unread count come from their own apps' processors
    (``editions.context_processors``, ``notifications.context_processors``).
    """
    user = request.user

    def side_nav():
        return user.is_authenticated and uses_side_nav(user.roles)

    return {
        "nav": SimpleLazyObject(lambda: nav_for(request)),
        "side_nav": SimpleLazyObject(side_nav),
    }
