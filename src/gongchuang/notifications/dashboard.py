"""Dashboard panels: unread messages for everyone; e-mail health and audit for the committee."""

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
