from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav

register_nav(
    NavItem(_("Final scoring"), "finals:judge_home", frozenset({Role.EXPERT}), order=45),
    NavItem(_("Offline final"), "finals:manage_home", frozenset({Role.COMMITTEE}), order=50),
    NavItem(_("Certificates"), "finals:certificates", frozenset({Role.UNIT_ORGANIZER}), order=55),
    NavItem(_("Guidance slots"), "finals:expert_guidance", frozenset({Role.EXPERT}), order=46),
    NavItem(_("Case exchange"), "finals:exchange", frozenset({Role.TEACHER}), order=41),
    NavItem(_("My final"), "finals:my_final", frozenset({Role.STUDENT, Role.TEACHER}), order=40),
)
