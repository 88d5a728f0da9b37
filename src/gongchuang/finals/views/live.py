"""The final day: the committee's live board, its actions, and the projector pages.

The board and the projector refresh by htmx polling (a fragment URL each). The projector
pages need no login: the per-event secret in the URL is the key; they are read-only and
show only what the public programme and results show (codes, titles, units).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError
from gongchuang.common.site import absolute_url

from .. import live, selectors, services
from ..models import Session, SessionJudge


def _event_or_404():
    event = selectors.current_event()
    if event is None:
        raise Http404
    return event


def _back(request, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _board_context(event) -> dict:
    token = event.screen_token
    return {
        "event": event,
        "sessions": live.board(event),
        "screen_url": absolute_url(reverse("finals:screen_index", args=[token])) if token else "",
    }


@permission_required("finals.board")
@never_cache
def board(request):
    return render(request, "finals/board.html", _board_context(_event_or_404()))


@permission_required("finals.board")
@never_cache
def board_live(request):
    """The board's body, polled every few seconds by the board page (htmx)."""
    return render(request, "finals/_board_body.html", _board_context(_event_or_404()))


@permission_required("finals.remind")
@require_POST
def judge_remind(request, pk: int, judge_pk: int):
    event = _event_or_404()
    session = get_object_or_404(Session, pk=pk, event=event)
    link = get_object_or_404(SessionJudge, session=session, judge_id=judge_pk)
    try:
        count = services.judge_remind(session=session, judge_link=link, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(judge)s has been reminded of %(count)s missing score sheets.")
            % {"judge": link.judge.display_name, "count": count},
        )
    return redirect("finals:board")


@permission_required("finals.board")
@require_POST
def session_current(request, pk: int):
    """Set (``participant``), advance (``next``) or clear the current presenter."""
    event = _event_or_404()
    session = get_object_or_404(Session, pk=pk, event=event)
    action = request.POST.get("action")
    try:
        if action == "next":
            services.session_advance(session=session, actor=request.user)
        elif action == "clear":
            services.session_set_current(session=session, participant=None, actor=request.user)
        elif action == "set":
            participant = get_object_or_404(
                session.participants, pk=request.POST.get("participant") or 0
            )
            services.session_set_current(
                session=session, participant=participant, actor=request.user
            )
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, reverse("finals:board"))


@permission_required("finals.screen_link")
@require_POST
def screen_link(request):
    event = _event_or_404()
    if request.POST.get("action") == "revoke":
        services.screen_token_revoke(event=event, actor=request.user)
        messages.success(request, _("The projector links no longer work."))
    else:
        services.screen_token_regenerate(event=event, actor=request.user)
        messages.success(
            request, _("A new projector link has been made; old links no longer work.")
        )
    return redirect("finals:board")


# --- The projector (no login; the secret link is the key) -------------------------------


def _screen_event(token: str):
    event = live.event_for_screen_token(token)
    if event is None:
        raise Http404
    return event


@never_cache
def screen_index(request, token: str):
    event = _screen_event(token)
    sessions = event.sessions.select_related("category").order_by("starts_at", "room")
    return render(
        request, "finals/screen_index.html", {"event": event, "sessions": sessions, "token": token}
    )


@never_cache
def screen(request, token: str, pk: int):
    event = _screen_event(token)
    session = get_object_or_404(Session, pk=pk, event=event)
    context = {**live.screen_state(session), "token": token}
    return render(request, "finals/screen.html", context)


@never_cache
def screen_live(request, token: str, pk: int):
    """The projector's body, polled by the page (htmx); it carries the server's time."""
    event = _screen_event(token)
    session = get_object_or_404(Session, pk=pk, event=event)
    context = {**live.screen_state(session), "token": token}
    return render(request, "finals/_screen_body.html", context)
