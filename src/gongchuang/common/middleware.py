from django.conf import settings

from .request_context import RequestMeta, reset_request_meta, set_request_meta


def client_ip(request) -> str | None:
    """The client's address; behind our own reverse proxy, the first forwarded hop."""
    if settings.SECURE_PROXY_SSL_HEADER or getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


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
