from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinalsConfig(AppConfig):
    name = "gongchuang.finals"
    label = "finals"
    verbose_name = _("Final and awards")

    def ready(self):
        # Registering receivers, dashboard panels and nav items needs the app registry
        # ready (they import models), hence here and not at module level.
        from . import (  # noqa: F401
            award_proposal,
            category_usage,
            dashboard,
            nav,
            personal_data,
            receivers,
            rules,
        )
