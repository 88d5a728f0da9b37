"""Helpers shared by the judging views: lookups, service calls."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404

from gongchuang.common.errors import DomainError
from gongchuang.editions.selectors import current_edition

from ..models import Jury


def edition_or_404():
    edition = current_edition()
    if edition is None:
        raise Http404
    return edition


def jury_or_404(pk) -> Jury:
    return get_object_or_404(
        Jury.objects.select_related("category", "edition", "lead"), pk=pk, edition=edition_or_404()
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
