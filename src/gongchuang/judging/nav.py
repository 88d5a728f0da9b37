from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav, request_edition

from . import selectors


def _reviews_to_do(request) -> int:
    edition = request_edition(request)
    if edition is None:
        return 0
    progress = selectors.expert_progress(request.user, edition)
    return progress["total"] - progress["submitted"]


register_nav(
    NavItem(
        _("Expert review"), "judging:home", frozenset({Role.COMMITTEE}), order=40, group="judging"
    ),
    NavItem(
        _("Experts"), "judging:experts", frozenset({Role.COMMITTEE}), order=41, group="judging"
    ),
    NavItem(
        _("My reviews"),
        "judging:queue",
        frozenset({Role.EXPERT}),
        order=40,
        group="judging",
        count=_reviews_to_do,
    ),
)
