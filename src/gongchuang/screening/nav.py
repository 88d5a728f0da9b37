"""Screening links in the staff side navigation ("审核"), each with the works waiting."""

from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav, request_edition
from gongchuang.submissions.enums import WorkState

from . import school_selectors, selectors


def _waiting_for_school(request) -> int:
    edition = request_edition(request)
    if edition is None:
        return 0
    queue = school_selectors.school_queue(request.user, edition=edition)
    return queue.filter(state=WorkState.AWAITING_SCHOOL).count()


def _waiting_for_unit(request) -> int:
    edition = request_edition(request)
    if edition is None:
        return 0
    return (
        selectors.unit_queue(request.user, edition=edition)
        .filter(state=WorkState.SUBMITTED)
        .count()
    )


def _waiting_for_city(request) -> int:
    edition = request_edition(request)
    if edition is None:
        return 0
    return (
        selectors.city_queue(request.user, edition=edition)
        .filter(state=WorkState.RECOMMENDED)
        .count()
    )


register_nav(
    NavItem(
        _("School confirmation"),
        "screening:school_queue",
        frozenset({Role.SCHOOL_COORDINATOR}),
        order=26,
        group="review",
        count=_waiting_for_school,
    ),
    NavItem(
        _("Qualification review"),
        "screening:unit_queue",
        frozenset({Role.UNIT_ORGANIZER}),
        order=30,
        group="review",
        count=_waiting_for_unit,
    ),
    NavItem(
        _("City review"),
        "screening:city_queue",
        frozenset({Role.COMMITTEE}),
        order=31,
        group="review",
        count=_waiting_for_city,
    ),
)
