from django.conf import settings

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
