"""The city committee's review of recommended works, progress by unit and reminders."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongchuang.accounts.models import Unit
from gongchuang.common.errors import DomainError
from gongchuang.submissions.enums import WorkState

from .. import selectors
from ..enums import CITY_DECISIONS, CITY_QUEUE_STATES, Stage
from ..forms import BulkForm, QueueFilterForm, RemindForm
from ..services import city_decide, units_remind, works_decide_bulk
from .common import (
    edition_page,
    queue_context,
    sheet_views,
)
from .unit import decision_page


def _filter_form(request, edition):
    data = request.GET.copy()
    if "state" not in data:
        data["state"] = WorkState.RECOMMENDED  # the pending ones by default
    return QueueFilterForm(
        data, edition=edition, states=CITY_QUEUE_STATES, units=Unit.objects.all()
    )


# The city review's decision page (decision_page): its choices, service and way back.
CITY_STAGE = {
    "decisions": CITY_DECISIONS,
    "decide": city_decide,
    "stage": Stage.CITY,
    "success_url": "screening:city_queue",
}


@edition_page("screening.city_review")
def queue(request, *, edition):
    context = queue_context(
        request,
        edition=edition,
        queue=selectors.city_queue,
        filter_form=_filter_form,
        decisions=CITY_DECISIONS,
    )
    return render(request, "screening/city_queue.html", context)


@edition_page("screening.city_review")
def work_review(request, pk: int, *, edition):
    work = selectors.work_for_city(request.user, edition=edition, pk=pk)
    return decision_page(request, work=work, edition=edition, **CITY_STAGE)


@edition_page("screening.city_review")
@require_POST
def bulk(request, *, edition):
    scope = selectors.city_queue(request.user, edition=edition)
    form = BulkForm(request.POST, queue=scope, decisions=CITY_DECISIONS)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("screening:city_queue")
    try:
        n = works_decide_bulk(
            works=list(form.cleaned_data["works"].select_related("edition", "unit")),
            actor=request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            stage=Stage.CITY,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision applied to %(n)s work(s).") % {"n": n})
    return redirect("screening:city_queue")


@edition_page("screening.city_review")
def progress(request, *, edition):
    rows = selectors.unit_progress(edition=edition)
    window = edition.window("unit_review")
    return render(
        request,
        "screening/city_progress.html",
        {"rows": rows, "window": window, "edition": edition},
    )


@edition_page("screening.city_review")
@require_POST
def remind(request, *, edition):
    form = RemindForm(request.POST)
    if not form.is_valid():
        # A selection that no longer matches (a unit removed meanwhile, a tampered form)
        # must not fall back to reminding every unit that is behind.
        messages.error(
            request, _("The selected units are not valid; nobody was reminded. Please try again.")
        )
        return redirect("screening:city_progress")
    units = form.cleaned_data.get("units")
    try:
        n = units_remind(
            edition=edition, actor=request.user, unit_ids=[u.pk for u in units] if units else None
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if n:
            messages.success(request, _("Reminder sent to %(n)s organizer(s).") % {"n": n})
        else:
            messages.info(request, _("No unit is behind: nobody was reminded."))
    return redirect("screening:city_progress")


export, import_sheet, import_template_download = sheet_views(
    perm="screening.city_review",
    queue=selectors.city_queue,
    stage=Stage.CITY,
    queue_url="screening:city_queue",
    filter_form=_filter_form,
    export_name=gettext_lazy("city-review-list"),
)
