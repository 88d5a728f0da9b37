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
