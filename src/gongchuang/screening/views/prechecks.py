"""Re-running the automatic pre-check of a work (e.g. after it could not run)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..services import precheck_request
from .common import edition_page


@edition_page("screening.unit_review")
@require_POST
def rerun_unit(request, pk: int, *, edition):
    work = selectors.work_for_unit(request.user, edition=edition, pk=pk)
    precheck_request(work=work)
    messages.info(request, _("The pre-check runs again in the background."))
    return redirect("screening:unit_work", pk=work.pk)


@edition_page("screening.city_review")
@require_POST
def rerun_city(request, pk: int, *, edition):
    work = selectors.work_for_city(request.user, edition=edition, pk=pk)
    precheck_request(work=work)
    messages.info(request, _("The pre-check runs again in the background."))
    return redirect("screening:city_work", pk=work.pk)
