from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.utils import translation

from .request_context import RequestMeta, reset_request_meta, set_request_meta


def client_ip(request) -> str | None:
    """The client's address: what lockouts, rate limits and audit events are counted under.

    Behind our own reverse proxy (HTTPS or TRUST_X_FORWARDED_FOR set, and the connection
    coming from one of TRUSTED_PROXY_IPS) it is the last X-Forwarded-For hop, the one the
    proxy wrote (docs/nginx.conf.example). From anywhere else the header is ignored: a
    client must not pick the address it is counted under.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxied = settings.SECURE_PROXY_SSL_HEADER or getattr(settings, "TRUST_X_FORWARDED_FOR", False)
    if proxied and remote in settings.TRUSTED_PROXY_IPS:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if hops[-1]:
            return hops[-1]
    return remote


class RequestContextMiddleware:
    """Makes the client IP available to services (audit events) for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_request_meta(
            RequestMeta(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            reset_request_meta(token)


class MethodNotAllowedPageMiddleware:
    """Gives a bare 405 (``require_POST``, a class-based view's ``http_method_not_allowed``)
    the site's error page; Django has no ``handler405``. The ``Allow`` header is kept, and a
    405 that already has a body (an API's JSON) is left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            from .errorviews import error_page

            page = error_page(request, 405)
            page["Allow"] = response["Allow"]
            return page
        return response


class LanguageMiddleware:
    """The interface language: the person's choice (the language cookie, set by the switch
    and on signing in from the account's stored choice), else Chinese.

    Replaces Django's ``LocaleMiddleware``, which falls back to the browser's
    ``Accept-Language``: the platform is Chinese-first and its users expect Chinese whatever
    their browser prefers (issue 20). A view that wants the cookie (re)written sets
    ``request.language_choice`` (``accounts.signals`` does on signing in).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        choice = getattr(request, "language_choice", None)
        if choice:
            set_language_cookie(response, choice)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def chosen_language(value: str | None) -> str:
    """A supported language code from a stored choice, else the site's (Chinese)."""
    supported = {code for code, _name in settings.LANGUAGES}
    return value if value in supported else settings.LANGUAGE_CODE


def set_language_cookie(response, language: str) -> None:
    """The language cookie as Django's ``set_language`` writes it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        chosen_language(language),
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
