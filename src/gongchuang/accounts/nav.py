from django.utils.translation import gettext_lazy as _

from gongchuang.common.registry import NavItem, register_nav

from .enums import Role

ANY_ROLE = frozenset(Role.values)
SCHOOL_KEEPERS = frozenset({Role.UNIT_ORGANIZER, Role.COMMITTEE})

register_nav(
    NavItem(_("Home"), "portal:home", frozenset({"*"}), order=0),
    NavItem(_("My dashboard"), "accounts:dashboard", ANY_ROLE, order=10),
    NavItem(_("School list"), "accounts:school_list", SCHOOL_KEEPERS, order=870),
    NavItem(_("Duplicate persons"), "accounts:duplicates", frozenset({Role.COMMITTEE}), order=880),
    NavItem(_("Staff accounts"), "accounts:staff_list", frozenset({Role.COMMITTEE}), order=889),
    NavItem(_("Import staff"), "accounts:staff_import", frozenset({Role.COMMITTEE}), order=890),
    NavItem(_("Administration"), "admin:index", frozenset({Role.COMMITTEE}), order=900),
)
