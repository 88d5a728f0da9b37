from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav, request_edition, request_memo
from gongchuang.submissions.nav import my_work_states

from . import selectors
from .selectors import FINAL_STATES


def _judges_the_final(request) -> bool:
    """Only experts placed on a final session score the final."""

    def judges():
        edition = request_edition(request)
        return edition is not None and selectors.sessions_judged_by(request.user, edition=edition)

    return request_memo(request, "finals.judges", judges)


def _has_a_final(request) -> bool:
    """Students and teachers see "My final" once one of their works reached the final."""

    return bool(my_work_states(request) & set(FINAL_STATES))


register_nav(
    NavItem(
        _("Final scoring"),
        "finals:judge_home",
        frozenset({Role.EXPERT}),
        order=45,
        group="final",
        show=_judges_the_final,
    ),
    NavItem(
        _("Offline final"),
        "finals:manage_home",
        frozenset({Role.COMMITTEE}),
        order=50,
        group="final",
    ),
    NavItem(
        _("Certificates"),
        "finals:certificates",
        frozenset({Role.UNIT_ORGANIZER}),
        order=55,
        group="final",
    ),
    NavItem(
        _("My final"),
        "finals:my_final",
        frozenset({Role.STUDENT, Role.TEACHER}),
        order=40,
        show=_has_a_final,
    ),
    NavItem(_("Guidance slots"), "finals:expert_guidance", frozenset({Role.EXPERT}), order=46),
    NavItem(_("Case exchange"), "finals:exchange", frozenset({Role.TEACHER}), order=41),
)
