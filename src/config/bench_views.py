"""A bare Django view: the ceiling every benchmark figure is compared with (only with BENCH_ENDPOINTS)."""

from django.http import HttpResponse


def hello(request):
    return HttpResponse(b"hello", content_type="text/plain")
