"""Screening links in the staff side navigation ("审核"), each with the works waiting (read
from the kept summary rows, so the menu costs the same at any size of edition)."""

from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav, request_edition
from gongchuang.submissions import counts
from gongchuang.submissions.enums import WorkState


def _waiting_for_school(request) -> int:
    edition = request_edition(request)
    if edition is None:
        return 0
    schools = request.user.school_ids_for(Role.SCHOOL_COORDINATOR)
    return counts.waiting(edition.pk, WorkState.AWAITING_SCHOOL, school_ids=schools)


def _waiting_for_unit(request) -> int:
    edition = request_edition(request)
    if edition is None:
        return 0
    units = request.user.unit_ids_for(Role.UNIT_ORGANIZER)
    return counts.waiting(edition.pk, WorkState.SUBMITTED, unit_ids=units)


def _waiting_for_city(request) -> int:
    edition = request_edition(request)
    if edition is None or not request.user.is_committee:
        return 0
    return counts.waiting(edition.pk, WorkState.RECOMMENDED)


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
