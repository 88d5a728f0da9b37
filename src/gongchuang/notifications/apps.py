from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gongchuang.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # why: these modules import models, which exist only once the app registry is ready.
        from . import dashboard, demo, nav, receivers  # noqa: F401
