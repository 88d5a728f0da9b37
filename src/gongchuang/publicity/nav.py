from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import (
    NavItem,
    register_nav,
    request_edition,
    request_memo,
    uses_side_nav,
)
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.nav import my_work_states

from .enums import PENDING_OBJECTION_STATES
from .models import Objection, PublicityList

# A student's or teacher's work is on a publicity list only once judging has decided on it.
LISTED_STATES = (
    WorkState.FINALIST,
    WorkState.NOT_SELECTED,
    WorkState.AWARDED,
    WorkState.PARTICIPATED,
)


def _publicity_applies(request) -> bool:
    """Visitors and staff always see the lists; students and teachers once a work of theirs
    was judged; experts once a list of the current edition is out."""
    user = request.user
    if not user.is_authenticated or uses_side_nav(user.roles):
        return True

    if user.roles & {Role.STUDENT, Role.TEACHER} and my_work_states(request) & set(LISTED_STATES):
        return True

    def applies():
        if Role.EXPERT not in user.roles:
            return False
        return PublicityList.objects.filter(edition__is_current=True).exists()

    return request_memo(request, "publicity.applies", applies)


def _pending_objections(request) -> int:
    edition = request_edition(request)
    if edition is None:
        return 0
    return Objection.objects.filter(
        entry__publicity_list__edition=edition, state__in=list(PENDING_OBJECTION_STATES)
    ).count()


register_nav(
    NavItem(
        _("Publicity"),
        "publicity:list_index",
        frozenset({"*"}),
        order=60,
        group="publicity",
        show=_publicity_applies,
    ),
    NavItem(
        _("Publicity management"),
        "publicity:manage",
        frozenset({Role.COMMITTEE}),
        order=600,
        group="publicity",
    ),
    NavItem(
        _("Objections"),
        "publicity:objection_queue",
        frozenset({Role.COMMITTEE}),
        order=601,
        group="publicity",
        count=_pending_objections,
    ),
)
