"""Dashboard panel of students and teachers: my works, invitations, submission deadline."""

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import dashboard_panel
from gongchuang.editions.enums import Step

from . import selectors


@dashboard_panel(
    roles={Role.STUDENT, Role.TEACHER}, template="submissions/panels/my_works.html", order=20
)
def my_works_panel(request, edition):
    if edition is None:
        return None
    window = edition.window(Step.SUBMISSION)
    return {
        "works": selectors.my_works(request.user, edition=edition),
        "invitations": selectors.pending_invitations(request.user, edition=edition),
        "window": window if window and window.is_open() else None,
    }
