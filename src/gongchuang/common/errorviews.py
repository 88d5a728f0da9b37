"""Server errors: a friendly 503 page while the database is unreachable, else Django's 500."""

import sys

from django.http import HttpResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token


def _database_unreachable(exc: BaseException | None) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, (OperationalError, InterfaceError))


def service_unavailable() -> HttpResponse:
    """The 503 page: rendered without a request, so it needs no database (no session, no user)."""
    response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if _database_unreachable(sys.exc_info()[1]):
        return service_unavailable()
    return defaults.server_error(request, template_name=template_name)
