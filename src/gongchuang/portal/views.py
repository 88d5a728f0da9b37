from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gongchuang.editions.selectors import current_edition, open_and_upcoming_windows


@require_GET
def home(request):
    edition = current_edition()
    context = {"edition": edition, "now": timezone.now()}
    if edition is not None:
        context["phase"] = edition.current_phase()
        context["windows"] = open_and_upcoming_windows(edition)
    return render(request, "portal/home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
