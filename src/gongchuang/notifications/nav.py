# The inbox link sits in the account area of the header (base.html), not in the menu.
# The committee's message templates and the audit log (gongchuang.common) are listed here.
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav

COMMITTEE = frozenset({Role.COMMITTEE})

register_nav(
    NavItem(_("Message templates"), "notifications:template_list", COMMITTEE, order=850),
    NavItem(_("Audit log"), "common:audit_log", COMMITTEE, order=860),
)

# “My data” (accounts/views_privacy.py): consents, download, account closing.
register_nav(
    NavItem(_("My data"), "accounts:my_data", frozenset({Role.STUDENT, Role.TEACHER}), order=800),
)
register_nav(
    NavItem(
        _("Student lookup"),
        "accounts:student_lookup",
        frozenset({Role.COMMITTEE, Role.UNIT_ORGANIZER, Role.SCHOOL_COORDINATOR}),
        order=820,
    ),
)
register_nav(
    NavItem(
        _("Two-factor login"),
        "accounts:two_factor_setup",
        frozenset({Role.COMMITTEE, Role.UNIT_ORGANIZER}),
        order=870,
    ),
)
