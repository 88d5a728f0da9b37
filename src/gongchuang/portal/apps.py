from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongchuang.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        # why: these modules import models, which exist only once the app registry is ready.
        from . import dashboard, nav, personal_data, rules  # noqa: F401
