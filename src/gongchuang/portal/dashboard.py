from gongchuang.accounts.enums import Role
from gongchuang.common.registry import dashboard_panel

from .selectors import notices_for_user


@dashboard_panel(
    roles={Role.STUDENT, Role.TEACHER, Role.SCHOOL_COORDINATOR, Role.UNIT_ORGANIZER},
    template="portal/panels/notices.html",
    order=5,
)
def unit_notices(request, edition):
    """Latest notices of the person's district/university, and of the city."""
    return {"notices": notices_for_user(request.user)}
