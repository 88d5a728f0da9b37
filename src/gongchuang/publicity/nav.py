from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav

register_nav(
    NavItem(_("Publicity"), "publicity:list_index", frozenset({"*"}), order=60),
    NavItem(_("Publicity management"), "publicity:manage", frozenset({Role.COMMITTEE}), order=600),
)
