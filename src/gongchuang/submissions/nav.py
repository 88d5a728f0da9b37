from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav

register_nav(
    NavItem(
        _("My works"), "submissions:my_works", frozenset({Role.STUDENT, Role.TEACHER}), order=20
    ),
    NavItem(
        _("Works of my school"),
        "submissions:school_works",
        frozenset({Role.SCHOOL_COORDINATOR}),
        order=25,
        group="review",
    ),
)
