from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav

register_nav(
    NavItem(
        _("Statistics"),
        "reports:dashboard",
        frozenset({Role.UNIT_ORGANIZER, Role.COMMITTEE}),
        order=80,
        group="reports",
    ),
)
