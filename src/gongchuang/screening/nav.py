from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav

register_nav(
    NavItem(
        _("School confirmation"),
        "screening:school_queue",
        frozenset({Role.SCHOOL_COORDINATOR}),
        order=26,
    ),
    NavItem(
        _("Qualification review"),
        "screening:unit_queue",
        frozenset({Role.UNIT_ORGANIZER}),
        order=30,
    ),
    NavItem(_("City review"), "screening:city_queue", frozenset({Role.COMMITTEE}), order=31),
)
