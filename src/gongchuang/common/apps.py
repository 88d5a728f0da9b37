from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "gongchuang.common"
    label = "common"
    verbose_name = _("Common")

    def ready(self):
        from . import site_checks  # noqa: F401 - registers the SITE_URL and secrets checks
