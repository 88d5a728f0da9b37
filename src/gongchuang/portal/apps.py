from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "gongchuang.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self):
        from . import dashboard, demo, nav, rules  # noqa: F401
