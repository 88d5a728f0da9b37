from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "gongchuang.judging"
    label = "judging"
    verbose_name = _("Expert review")

    def ready(self):
        from . import category_usage, dashboard, nav, rules  # noqa: F401
