from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "gongchuang.screening"
    label = "screening"
    verbose_name = _("Qualification review")

    def ready(self):
        from . import dashboard, demo, nav, receivers, rules  # noqa: F401
