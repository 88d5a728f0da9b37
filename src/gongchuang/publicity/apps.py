from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "gongchuang.publicity"
    label = "publicity"
    verbose_name = _("Publicity and objections")

    def ready(self):
        from . import dashboard, demo, nav, rules  # noqa: F401
