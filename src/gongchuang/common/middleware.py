from django.conf import settings
from django.http import HttpResponseNotAllowed

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
