"""The signed-in person's start page: the panels of their roles.

The edition comes through ``common.registry`` (filled by ``editions``, a floor above); the
open windows and what waits ("待办") are the editions app's first panel (editions/dashboard.py).
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gongchuang.common.registry import dashboard_panels_for, request_edition


@login_required
def dashboard(request):
    edition = request_edition(request)
    roles = request.user.roles
    panels = []
    for panel in dashboard_panels_for(roles):
        context = panel.func(request, edition)
        if context is not None:
            panels.append({"template": panel.template, "context": context})
    return render(
        request,
        "accounts/dashboard.html",
        {"edition": edition, "panels": panels, "roles": sorted(roles)},
    )
