from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav

PUBLIC = frozenset({"*"})

register_nav(
    NavItem(_("Notices"), "portal:notice_list", PUBLIC, order=20),
    NavItem(_("Guide"), "portal:guide", PUBLIC, order=21),
    NavItem(_("Showcase"), "portal:showcase", PUBLIC, order=22),
    NavItem(_("Teaching cases"), "portal:teaching_cases", PUBLIC, order=23),
    NavItem(_("Results"), "portal:results", PUBLIC, order=24),
    NavItem(
        _("Manage notices"),
        "portal:notice_manage",
        frozenset({Role.COMMITTEE, Role.UNIT_ORGANIZER}),
        order=800,
        group="settings",
    ),
    NavItem(
        _("Manage showcase"),
        "portal:showcase_manage",
        frozenset({Role.COMMITTEE}),
        order=801,
        group="settings",
    ),
    NavItem(
        _("Case questions"),
        "portal:case_questions_manage",
        frozenset({Role.COMMITTEE}),
        order=802,
        group="settings",
    ),
)
