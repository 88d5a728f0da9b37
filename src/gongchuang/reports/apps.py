from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongchuang.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import dashboard, demo, nav, rules  # noqa: F401
