from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """An app so that the API's texts live in its own catalogue (``api/locale``)."""

    name = "gongchuang.api"
    label = "api"
    verbose_name = _("Integration API")
