"""Judges' pages for phones and tablets, the offline service worker and the score sync endpoint."""

import json

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from gongchuang.editions.scale import score_scale

from .. import selectors, services
from ..models import TaskSubmission


@login_required
def judge_home(request):
    event = selectors.current_event()
    sessions = selectors.sessions_for_judge(request.user, event=event) if event else []
    return render(request, "finals/judge_home.html", {"event": event, "sessions": sessions})


@login_required
@never_cache
def judge_session(request, pk: int):
    event = selectors.current_event()
    if event is None:
        raise Http404
    session = get_object_or_404(selectors.sessions_for_judge(request.user, event=event), pk=pk)
    rows = selectors.session_scoring_sheet(session, request.user)
    low, high = score_scale(event.edition)
    return render(
        request,
        "finals/judge_session.html",
        {
            "event": event,
            "session": session,
            "rows": rows,
            "min": low,
            "max": high,
            "steps": range(low, high + 1),
        },
    )


@login_required
def submission_file(request, pk: int):
    """A finalist's on-site task file, for the judges of a session the work is in."""
    submission = get_object_or_404(
        TaskSubmission.objects.filter(
            work__final_sessions__session__judge_links__judge=request.user
        ).distinct(),
        pk=pk,
    )
    if not submission.file:
        raise Http404
    return FileResponse(
        submission.file.open("rb"), as_attachment=True, filename=submission.file_name or "result"
    )


@require_POST
def judge_sync(request):
    """Idempotent sync of queued score sheets: ``{"items": [{client_uuid, session, work, kind,
    values, rev}]}`` → ``{"results": [{client_uuid, status, total | code, message}]}``."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Please log in again.")}, status=403)
    try:
        items = json.loads(request.body or b"{}").get("items", [])
        if not isinstance(items, list):
            raise ValueError
    except (ValueError, AttributeError):
        return JsonResponse({"error": _("Invalid score data.")}, status=400)
    results = services.scores_sync(judge=request.user, items=items)
    return JsonResponse({"results": results})


@require_GET
def service_worker(request):
    """The judges' service worker; served here so that its scope covers /final/judge/."""
    body = render_to_string(
        "finals/sw.js",
        {
            "precache": json.dumps(
                [
                    static("css/app.css"),
                    static("js/app.js"),
                    static("vendor/htmx/htmx.min.js"),
                    static("finals/judge.css"),
                    static("finals/judge.js"),
                ]
            ),
            # A path: the worker resolves it against its own origin, which is the judges'
            # (a phone at the venue may reach the server by another address than SITE_URL).
            "offline_url": "/final/judge/",
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/final/judge/"
    response["Cache-Control"] = "no-cache"
    return response
