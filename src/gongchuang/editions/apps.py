from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    name = "gongchuang.editions"
    label = "editions"
    verbose_name = _("Editions and rules")

    def ready(self):
        # why: these modules import models, which exist only once the app registry is ready.
        from gongchuang.common.kept import forget_on_change
        from gongchuang.common.registry import register_edition_source

        from . import dashboard, rules  # noqa: F401
        from .models import Category, Edition, PhaseWindow
        from .selectors import clear_current_edition_cache, current_edition

        register_edition_source(current_edition)

        forget_on_change(
            lambda _instance: clear_current_edition_cache(),
            Edition, PhaseWindow, Category,
            uid="current-edition",
        )  # fmt: skip
