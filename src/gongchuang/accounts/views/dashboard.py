"""The signed-in person's start page: the panels of their roles and the open windows."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gongchuang.common.registry import dashboard_panels_for
from gongchuang.editions.selectors import current_edition, open_and_upcoming_windows


@login_required
def dashboard(request):
    edition = current_edition()
    roles = request.user.roles
    panels = []
    for panel in dashboard_panels_for(roles):
        context = panel.func(request, edition)
        if context is not None:
            panels.append({"template": panel.template, "context": context})
    windows = open_and_upcoming_windows(edition) if edition else []
    return render(
        request,
        "accounts/dashboard.html",
        {"edition": edition, "panels": panels, "windows": windows, "roles": sorted(roles)},
    )
