from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    name = "gongchuang.editions"
    label = "editions"
    verbose_name = _("Editions and rules")

    def ready(self):
        from . import dashboard  # noqa: F401
