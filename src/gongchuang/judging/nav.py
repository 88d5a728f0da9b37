from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav

register_nav(
    NavItem(_("Expert review"), "judging:home", frozenset({Role.COMMITTEE}), order=40),
    NavItem(_("My reviews"), "judging:queue", frozenset({Role.EXPERT}), order=40),
)
