from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongchuang.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # why: these modules import models, which exist only once the app registry is ready.
        from . import dashboard, nav, rules  # noqa: F401
