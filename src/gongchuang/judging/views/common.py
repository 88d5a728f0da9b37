"""Helpers shared by the judging views: access decorators, lookups, service calls."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from gongchuang.accounts.enums import Role
from gongchuang.common.errors import DomainError
from gongchuang.editions.selectors import current_edition

from ..models import Jury


def edition_or_404():
    edition = current_edition()
    if edition is None:
        raise Http404
    return edition


def committee_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_committee:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def expert_required(view):
    """An expert of the current edition; every work page also needs the pledge."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if Role.EXPERT not in request.user.roles:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def jury_or_404(pk) -> Jury:
    return get_object_or_404(
        Jury.objects.select_related("category", "edition"), pk=pk, edition=edition_or_404()
    )


def run_action(request, action, success):
    """Call one service; its DomainError becomes an error message."""
    try:
        result = action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return result
