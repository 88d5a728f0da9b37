"""Dashboard panels: unread messages for everyone; e-mail health and audit for the committee."""

from django_otp import user_has_device

from gongchuang.accounts.enums import Role
from gongchuang.common.registry import dashboard_panel

from .models import EmailDelivery, Notification

EVERYONE = set(Role.values)


@dashboard_panel(roles=EVERYONE, template="notifications/panels/inbox.html", order=5)
def inbox_panel(request, edition):
    latest = list(Notification.objects.filter(recipient=request.user, read_at__isnull=True)[:3])
    return {"latest": latest}


@dashboard_panel(
    roles={Role.COMMITTEE}, template="notifications/panels/email_health.html", order=95
)
def email_health_panel(request, edition):
    return {
        "pending": EmailDelivery.objects.filter(status=EmailDelivery.Status.PENDING).count(),
        "failed": EmailDelivery.objects.filter(status=EmailDelivery.Status.FAILED).count(),
    }


STAFF = {Role.COMMITTEE, Role.UNIT_ORGANIZER, Role.SCHOOL_COORDINATOR}


@dashboard_panel(roles=STAFF, template="notifications/panels/security.html", order=96)
def security_panel(request, edition):
    roles = request.user.roles
    return {
        "is_committee": Role.COMMITTEE in roles,
        "can_2fa": bool(roles & {Role.COMMITTEE, Role.UNIT_ORGANIZER}),
        "has_2fa": user_has_device(request.user, confirmed=True),
    }
