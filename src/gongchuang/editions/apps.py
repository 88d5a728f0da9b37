from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    name = "gongchuang.editions"
    label = "editions"
    verbose_name = _("Editions and rules")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import dashboard  # noqa: F401
        from .models import Category, Edition, PhaseWindow
        from .selectors import forget_current_edition

        for model in (Edition, PhaseWindow, Category):
            for signal in (post_save, post_delete):
                signal.connect(forget_current_edition, sender=model, dispatch_uid=f"forget-{model}")
