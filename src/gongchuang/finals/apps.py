from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinalsConfig(AppConfig):
    name = "gongchuang.finals"
    label = "finals"
    verbose_name = _("Final and awards")

    def ready(self):
        from . import dashboard, demo, nav, receivers, rules  # noqa: F401
