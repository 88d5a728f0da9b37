from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "gongchuang.screening"
    label = "screening"
    verbose_name = _("Qualification review")

    def ready(self):
        # why: these modules import models, which exist only once the app registry is ready.
        from . import dashboard, nav, receivers, rules  # noqa: F401
