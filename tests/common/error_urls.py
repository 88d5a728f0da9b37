"""The project's URLs plus views that fail on purpose (tests/common/test_error_pages.py)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bad(request):
    raise SuspiciousOperation("a tampered request")


def forbidden(request):
    raise PermissionDenied("secret reason")


def crash(request):
    raise RuntimeError("secret traceback detail")


urlpatterns = [
    *urlpatterns,
    path("test-errors/400/", bad),
    path("test-errors/403/", forbidden),
    path("test-errors/500/", crash),
]
