"""Error pages: 400, 403, 404, 405, 500, CSRF failure, and 503 while the database is down.

Every page says what happened and where to go next, in the visitor's language, never with a
traceback or Django's default text. The 4xx pages use the site layout (``base.html``); if that
cannot be rendered (an early middleware failed, so there is no ``request.user``; a context
processor needs the database) they fall back to ``errors/plain.html``, which needs nothing.
The 500 and 503 pages always use the plain layout: they are rendered when something is
already broken.
"""

import logging
import sys
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

SITE_LAYOUT = "base.html"
PLAIN_LAYOUT = "errors/plain.html"


def _database_unreachable(exc: BaseException | None) -> bool:
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, (OperationalError, InterfaceError))


def service_unavailable() -> HttpResponse:
    """The 503 page: rendered without a request, so it needs no database (no session, no user)."""
    response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def _back_url(request) -> str | None:
    """The page the visitor came from, on this site, as a path (never another host)."""
    parts = urlsplit(request.META.get("HTTP_REFERER", ""))
    if parts.scheme not in ("http", "https") or parts.netloc != request.get_host():
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or not url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        return None
    # The home page has its own link; the failing page itself is no way back.
    return None if path in ("/", request.get_full_path()) else path


def _links(request, status: int) -> dict:
    """Where to go next: the guide, one's workspace, and the login page for an anonymous 403."""
    links = {
        "back_url": _back_url(request),
        "guide_url": reverse("portal:guide"),
        "dashboard_url": reverse("accounts:dashboard"),
    }
    if status == 403 and not request.user.is_authenticated:
        query = urlencode({"next": request.get_full_path()})
        links["login_url"] = f"{reverse('accounts:login')}?{query}"
    return links


def _guide_url() -> str | None:
    try:
        return reverse("portal:guide")
    except Exception:  # the plain layout must render even with a broken URLconf
        return None


def error_page(request, status: int, *, template: str | None = None) -> HttpResponse:
    """Render ``<status>.html`` (or ``template``) in the site layout, else the plain one."""
    template = template or f"{status}.html"
    context = {"status": status, "help_contact": settings.HELP_CONTACT}
    try:
        site = {**context, **_links(request, status), "layout": SITE_LAYOUT}
        body = loader.render_to_string(template, site, request)
    except Exception:  # whatever broke the layout, the visitor still gets the page
        # Without request.user an early middleware refused the request (a bad Host header
        # from a scanner): expected, and Django logs it already. Anything else is worth a look.
        if hasattr(request, "user"):
            logger.warning("error page %s in the plain layout", status, exc_info=True)
        plain = {**context, "guide_url": _guide_url(), "layout": PLAIN_LAYOUT}
        body = loader.render_to_string(template, plain)
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def bad_request(request, exception=None):
    return error_page(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return error_page(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_page(request, 404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was refused (expired token, cookies blocked)."""
    return error_page(request, 403, template="403_csrf.html")


@requires_csrf_token
def server_error(request):
    if _database_unreachable(sys.exc_info()[1]):
        return service_unavailable()
    context = {
        "status": 500,
        "help_contact": settings.HELP_CONTACT,
        "guide_url": _guide_url(),
        "layout": PLAIN_LAYOUT,
    }
    response = HttpResponse(loader.render_to_string("500.html", context), status=500)
    response["Cache-Control"] = "no-store"
    return response
