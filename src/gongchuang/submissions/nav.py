from django.utils.translation import gettext_lazy as _

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import NavItem, register_nav, request_memo

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


def my_work_states(request) -> frozenset[str]:
    """The states of the person's own works (author or advisor) in the current edition, read
    once per request: the links that depend on how far a work got (``finals``' "My final",
    ``publicity``'s lists) share this one query."""

    def states():
        from .models import Work  # why: nav.py is imported before the models are ready

        return frozenset(
            Work.objects.filter(authorships__user=request.user, edition__is_current=True)
            .values_list("state", flat=True)
            .distinct()
        )

    return request_memo(request, "submissions.my_work_states", states)
