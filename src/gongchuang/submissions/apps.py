from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "gongchuang.submissions"
    label = "submissions"
    verbose_name = _("Works and submissions")

    def ready(self):
        from . import category_usage, counts, dashboard, nav, personal_data, rules  # noqa: F401
