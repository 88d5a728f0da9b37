"""User-facing texts of the integration API (``gongchuang.api``), kept here so that they
live in the reports catalogue (the API package is not an app and has no catalogue)."""

from django.utils.translation import gettext_lazy as _

NAME_YOUR_UNIT = _("Name one of your own units with ?unit=CODE.")
NO_NUL = _("Text parameters must not contain NUL characters.")
