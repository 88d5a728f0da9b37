from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongchuang.common.registry import NavGroup, NavItem, register_nav, register_nav_group

from .enums import Role

ANY_ROLE = frozenset(Role.values)
SCHOOL_KEEPERS = frozenset({Role.UNIT_ORGANIZER, Role.COMMITTEE})

# The staff side navigation's headings (issue 20): each app puts its links in one of them.
register_nav_group(
    NavGroup("review", pgettext_lazy("navigation group", "Review"), order=20),
    NavGroup("judging", pgettext_lazy("navigation group", "Judging"), order=30),
    NavGroup("final", pgettext_lazy("navigation group", "Final"), order=40),
    NavGroup("publicity", pgettext_lazy("navigation group", "Publicity and objections"), order=50),
    NavGroup("reports", pgettext_lazy("navigation group", "Reports"), order=60),
    NavGroup("settings", pgettext_lazy("navigation group", "Settings"), order=70),
    # Signed-in students, teachers and experts find the public pages under one entry.
    NavGroup("activity", pgettext_lazy("navigation group", "About the activity"), order=90),
)

register_nav(
    NavItem(_("Home"), "portal:home", frozenset({"*"}), order=0),
    NavItem(_("My dashboard"), "accounts:dashboard", ANY_ROLE, order=10),
    NavItem(_("School list"), "accounts:school_list", SCHOOL_KEEPERS, order=870, group="settings"),
    NavItem(
        _("Duplicate persons"),
        "accounts:duplicates",
        frozenset({Role.COMMITTEE}),
        order=880,
        group="settings",
    ),
    NavItem(
        _("Import staff"),
        "accounts:staff_import",
        frozenset({Role.COMMITTEE}),
        order=890,
        group="settings",
    ),
    NavItem(
        _("Administration"),
        "admin:index",
        frozenset({Role.COMMITTEE}),
        order=900,
        group="settings",
    ),
    NavItem(
        _("Staff accounts"),
        "accounts:staff_list",
        frozenset({Role.COMMITTEE}),
        order=889,
        group="settings",
    ),
)
