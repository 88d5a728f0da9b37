"""The unit organizer's workspace: queue, work review, bulk actions, export and import."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import School, Unit
from gongchuang.common.errors import DomainError

from .. import selectors
from ..enums import CITY_QUEUE_STATES, UNIT_DECISIONS, UNIT_QUEUE_STATES, Stage
from ..forms import BulkForm, DecisionForm, QueueFilterForm, UnrecommendForm
from ..school_selectors import school_progress
from ..services import recommendation_withdraw, unit_decide, works_decide_bulk
from .common import (
    edition_page,
    queue_context,
    selected_ids,
    sheet_views,
)


def _filter_form(request, edition):
    schools = School.objects.filter(unit_id__in=request.user.unit_ids_for(Role.UNIT_ORGANIZER))
    return QueueFilterForm(
        request.GET or None, edition=edition, states=UNIT_QUEUE_STATES, schools=schools
    )


def _quota_rows(request, edition):
    units = Unit.objects.filter(pk__in=request.user.unit_ids_for(Role.UNIT_ORGANIZER))
    return [(unit, selectors.quota_usage(edition=edition, unit_id=unit.pk)) for unit in units]


# The unit review's decision page (decision_page): its choices, service and way back.
UNIT_STAGE = {
    "decisions": UNIT_DECISIONS,
    "decide": unit_decide,
    "stage": Stage.UNIT,
    "success_url": "screening:unit_queue",
}


@edition_page("screening.unit_review")
def queue(request, *, edition):
    context = queue_context(
        request,
        edition=edition,
        queue=selectors.unit_queue,
        filter_form=_filter_form,
        decisions=UNIT_DECISIONS,
    )
    context["quotas"] = _quota_rows(request, edition)
    if edition.school_confirmation:
        context["school_rows"] = school_progress(
            edition=edition, unit_ids=request.user.unit_ids_for(Role.UNIT_ORGANIZER)
        )
    return render(request, "screening/unit_queue.html", context)


@edition_page("screening.unit_review")
def work_review(request, pk: int, *, edition):
    work = selectors.work_for_unit(request.user, edition=edition, pk=pk)
    return decision_page(request, work=work, edition=edition, **UNIT_STAGE)


def decision_page(request, *, work, edition, decisions, decide, stage, success_url: str):
    """Shared body of the unit and city review pages: checklist form → one decision service."""
    hints = selectors.checklist_hints(work)
    form = DecisionForm(request.POST or None, decisions=decisions, hints=hints)
    if request.method == "POST" and form.is_valid():
        try:
            decide(
                work=work,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                checklist=form.checklist(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Decision saved for %(code)s.") % {"code": work.code})
            return redirect(success_url)
    context = review_context(request, work, form, hints, stage, edition)
    return render(request, "screening/work_review.html", context)


def review_context(request, work, form, hints, stage, edition):
    authors, advisors = selectors.authors_and_advisors(work)
    quota = None
    if stage == Stage.UNIT:
        quota = next(
            (
                r
                for r in selectors.quota_usage(edition=edition, unit_id=work.unit_id)
                if r.category.pk == work.category_id
            ),
            None,
        )
    return {
        "work": work,
        "form": form,
        "hints": hints,
        "stage": stage,
        "authors": [selectors.person_name(a, request.user) for a in authors],
        "advisors": [selectors.person_name(a, request.user) for a in advisors],
        "files": list(work.files.all()),
        "reviews": selectors.reviews_of(work),
        "findings": selectors.describe_findings(work, request.user),
        "text_notes": selectors.text_notes(work),
        "precheck": getattr(work, "precheck", None),
        "quota": quota,
        "unrecommend_form": UnrecommendForm(),
        "city_states": CITY_QUEUE_STATES,
    }


@edition_page("screening.unit_review")
@require_POST
def unrecommend(request, pk: int, *, edition):
    work = selectors.work_for_unit(request.user, edition=edition, pk=pk)
    form = UnrecommendForm(request.POST)
    form.is_valid()
    try:
        recommendation_withdraw(
            work=work, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The recommendation of %(code)s was withdrawn.") % {"code": work.code}
        )
    return redirect("screening:unit_work", pk=work.pk)


@edition_page("screening.unit_review")
@require_POST
def bulk(request, *, edition):
    scope = selectors.unit_queue(request.user, edition=edition)
    ids = set(selected_ids(request))
    if scope.filter(pk__in=ids).count() != len(ids):
        raise Http404  # another unit's work (or a draft): it does not exist for this organizer
    form = BulkForm(request.POST, queue=scope, decisions=UNIT_DECISIONS)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("screening:unit_queue")
    try:
        n = works_decide_bulk(
            works=list(form.cleaned_data["works"].select_related("edition", "unit")),
            actor=request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decision applied to %(n)s work(s).") % {"n": n})
    return redirect("screening:unit_queue")


export, import_sheet, import_template_download = sheet_views(
    perm="screening.unit_review",
    queue=selectors.unit_queue,
    stage=Stage.UNIT,
    queue_url="screening:unit_queue",
    filter_form=_filter_form,
    export_name=gettext_lazy("works-list"),
)
