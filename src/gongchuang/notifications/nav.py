# The inbox link sits in the account area of the header (base.html), not in the menu.
# Staff reach the audit log, message templates, student lookup and two-factor setup
# from the "Security and data" dashboard panel (dashboard.py) to keep the menu short.
from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav

register_nav(
    NavItem(
        _("Audit log"), "common:audit_log", frozenset({Role.COMMITTEE}), order=860, group="reports"
    ),
    # “My data” (accounts/views/my_data.py): consents, download, account closing.
    NavItem(_("My data"), "accounts:my_data", frozenset({Role.STUDENT, Role.TEACHER}), order=800),
)
