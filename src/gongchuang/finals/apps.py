from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinalsConfig(AppConfig):
    name = "gongchuang.finals"
    label = "finals"
    verbose_name = _("Final and awards")

    def ready(self):
        # Registering receivers, dashboard panels and nav items needs the app registry
        # ready (they import models), hence here and not at module level.
        from . import award_proposal, category_usage, dashboard, nav, receivers, rules  # noqa: F401
