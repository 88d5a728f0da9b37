"""Committee pages of the expert review: juries, assignment, ranking, finalists."""

import dataclasses
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.accounts.enums import Level
from gongchuang.accounts.onboarding import onboarding_rows, with_invitation
from gongchuang.common.errors import DomainError
from gongchuang.common.paginator import BoundedPaginator
from gongchuang.common.spreadsheets import template_response

from .. import selectors, services
from ..calibration import ZSCORE_MIN_WORKS
from ..enums import MIN_WORKS_FOR_CALIBRATION
from ..forms import (
    AddExpertForm,
    DiscussionSettingsForm,
    ImportForm,
    JuryForm,
    JurySettingsForm,
    MembersForm,
    SelectionForm,
    experts_queryset,
    member_candidates,
)
from ..importers import COLUMNS, experts_import
from ..matching import RANKED_STATES, jury_works
from ..models import Assignment
from .common import edition_or_404, jury_or_404, run_action


@permission_required("judging.manage")
def home(request):
    edition = edition_or_404()
    form = JuryForm(request.POST if request.method == "POST" else None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            jury = services.jury_create(
                edition=edition,
                category=form.cleaned_data["category"],
                level=form.cleaned_data["level"],
                k=form.cleaned_data["k"],
                min_load=form.cleaned_data["min_load"] or 0,
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Jury created. Now choose its experts."))
            return redirect("judging:jury", jury.pk)
    juries = selectors.juries_for_edition(edition)
    return render(
        request, "judging/home.html", {"juries": juries, "form": form, "edition": edition}
    )


@permission_required("judging.manage")
def experts(request):
    """The expert list with each one's invitation status, and the expert import."""
    edition = edition_or_404()
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = experts_import(fileobj=form.cleaned_data["file"], edition=edition,
                                    actor=request.user, request=request)  # fmt: skip
        except DomainError as exc:
            errors = getattr(exc, "errors", [exc.message])
        else:
            messages.success(request, _imported_message(result))
            if not result.onboarding.needs_sheet:
                return redirect("judging:experts")
    experts = with_invitation(experts_queryset().select_related("expert_profile__unit"))
    page = BoundedPaginator(experts, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "errors": errors,
        "page_obj": page,
        "rows": onboarding_rows(request.user, page.object_list),
        "columns": [column.title() for column in COLUMNS],
        "sheet_users": result.onboarding.needs_sheet if result else [],
    }
    return render(request, "judging/experts.html", context)


def _imported_message(result) -> str:
    return _(
        "%(n)s experts imported; %(invited)s new experts were sent an invitation to set "
        "their password."
    ) % {"n": len(result.experts), "invited": len(result.onboarding.invited)}


@permission_required("judging.manage")
def experts_template(request):
    edition = edition_or_404()
    categories = [c.name for c in edition.categories.order_by("order", "pk")]
    columns = [
        dataclasses.replace(c, choices=lambda: categories) if c.field == "categories" else c
        for c in COLUMNS
    ]
    return template_response(columns, name=_("experts-import-template"))


@permission_required("judging.manage")
def jury_detail(request, pk):
    """The jury at a glance: its figures (cached per version of its assignments) and three
    lists, a page each: experts and loads, candidate experts, works and their experts."""
    jury = jury_or_404(pk)
    experts = _page(request, selectors.jury_members_page(jury), "experts_page")
    overview = selectors.jury_overview(jury, members=selectors.experts_by_id(experts.object_list))
    page = _page(request, jury_works(jury).select_related("category"), "page")
    page.object_list = selectors.jury_work_lines(jury, page.object_list)
    # Candidates are counted to 100 (4 pages), in the (role, user) index's order.
    candidates = _page(
        request, member_candidates(jury), "members_page", bound=100, ordered_count=True
    )
    context = {
        "jury": jury, "overview": overview, "page_obj": page, "experts_page": experts,
        "candidates_page": candidates,
        "members_form": MembersForm(jury=jury, shown=candidates.object_list),
        "add_form": AddExpertForm(jury=jury),
        "settings_form": JurySettingsForm(
            initial={"peer_scores_visible": jury.peer_scores_visible}
        ),
        "discussion_form": DiscussionSettingsForm(
            jury=jury,
            initial={"discussion_after_review": jury.discussion_after_review,
                     "lead": jury.lead.username if jury.lead_id else ""},
        ),
        "min_works": MIN_WORKS_FOR_CALIBRATION,
    }  # fmt: skip
    return render(request, "judging/jury.html", context)


def _page(request, rows, param: str, per_page: int = 25, **kwargs):
    page = BoundedPaginator(rows, per_page, **kwargs).get_page(request.GET.get(param))
    page.object_list = list(page.object_list)
    return page


@require_POST
@permission_required("judging.manage")
def jury_members(request, pk):
    jury = jury_or_404(pk)
    form = MembersForm(request.POST, jury=jury)
    if form.is_valid():
        run_action(
            request,
            lambda: services.jury_set_members(
                jury=jury, members=form.chosen(jury), actor=request.user
            ),
            _("Experts of the jury saved."),
        )
    return redirect("judging:jury", jury.pk)


@require_POST
@permission_required("judging.manage")
def jury_settings(request, pk):
    jury = jury_or_404(pk)
    form = JurySettingsForm(request.POST)
    if form.is_valid():
        visible = form.cleaned_data["peer_scores_visible"]
        run_action(
            request,
            lambda: services.jury_set_peer_scores_visible(
                jury=jury, visible=visible, actor=request.user
            ),
            _("Experts now see the other experts' scores of a work once they submit theirs.")
            if visible
            else _("Experts no longer see other experts' scores."),
        )
    return redirect("judging:jury", jury.pk)


@require_POST
@permission_required("judging.manage")
def jury_solve(request, pk):
    jury = jury_or_404(pk)
    run_action(
        request,
        lambda: services.jury_solve(jury=jury, actor=request.user),
        _("Works assigned automatically: see the result below."),
    )
    return redirect("judging:jury", jury.pk)


@require_POST
@permission_required("judging.manage")
def jury_publish(request, pk):
    jury = jury_or_404(pk)
    run_action(
        request,
        lambda: services.jury_publish(jury=jury, actor=request.user),
        _("Assignments published: the experts can now review."),
    )
    return redirect("judging:jury", jury.pk)


@require_POST
@permission_required("judging.manage")
def jury_remind(request, pk):
    jury = jury_or_404(pk)
    n = services.experts_remind(jury=jury, actor=request.user)
    messages.success(request, _("%(n)s experts reminded.") % {"n": n})
    return redirect("judging:jury", jury.pk)


@require_POST
@permission_required("judging.manage")
def assignment_action(request, pk, assignment_pk, action):
    jury = jury_or_404(pk)
    a = get_object_or_404(
        Assignment.objects.select_related("jury", "work", "expert"), pk=assignment_pk, jury=jury
    )
    if action == "pin":
        run_action(
            request,
            lambda: services.assignment_pin(assignment=a, pinned=not a.pinned, actor=request.user),
            _("Saved."),
        )
    elif action == "forbid":
        run_action(
            request,
            lambda: services.assignment_forbid(
                jury=jury, work=a.work, expert=a.expert, actor=request.user
            ),
            _("Pair forbidden. Solve again to fill the gap."),
        )
    else:
        raise Http404
    return redirect("judging:jury", jury.pk)


@require_POST
@permission_required("judging.manage")
def jury_add(request, pk):
    jury = jury_or_404(pk)
    form = AddExpertForm(request.POST, jury=jury)
    if form.is_valid():
        work = get_object_or_404(jury_works(jury), pk=form.cleaned_data["work"])
        run_action(
            request,
            lambda: services.assignment_add(
                jury=jury, work=work, expert=form.cleaned_data["expert"], actor=request.user
            ),
            _("Expert added."),
        )
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect("judging:jury", jury.pk)


@permission_required("judging.manage")
def ranking(request, pk):
    """The calibrated ranking, computed once per version of the jury's reviews and cached
    (``selectors.ranking_summary``): a page of 50 works (of one level, if chosen) and a
    page of the experts' offsets."""
    jury = jury_or_404(pk)
    summary = selectors.ranking_summary(jury)
    level = request.GET.get("level")
    level = level if level in summary.levels else None
    page = _page(request, summary.positions(level), "page", per_page=50)
    groups: dict[str, list] = {}
    for row in selectors.ranking_rows(summary, page.object_list):
        groups.setdefault(row.level, []).append(row)
    offsets = _page(request, summary.offset_positions(), "experts_page")
    offsets.object_list = selectors.offset_rows(summary, offsets.object_list)
    context = {
        "jury": jury, "ranking": summary, "groups": groups, "page_obj": page,
        "offsets_page": offsets, "level": level, "zscore_min": ZSCORE_MIN_WORKS,
        "levels": [(code, Level(code).label if code in Level.values else code)
                   for code in summary.levels],
        "query_string": urlencode({"level": level}) if level is not None else "",
    }  # fmt: skip
    return render(request, "judging/ranking.html", context)


@permission_required("judging.manage")
def work_reviews(request, pk, work_pk):
    """The committee reads every expert's scores and comments of one work."""
    jury = jury_or_404(pk)
    work = get_object_or_404(jury_works(jury, states=RANKED_STATES), pk=work_pk)
    rubric = selectors.rubric_of(work.category)
    rows = []
    for a in (
        Assignment.objects.filter(jury=jury, work=work, forbidden=False)
        .select_related("expert", "review")
        .order_by("pk")
    ):
        review = getattr(a, "review", None)
        scores = review.scores if review else {}
        rows.append({"a": a, "review": review, "scores": [scores.get(str(d.pk)) for d in rubric]})
    return render(
        request,
        "judging/work_reviews.html",
        {
            "jury": jury, "work": work, "rubric": rubric, "rows": rows,
            "note": selectors.consensus_note(jury, work),
            "messages_count": selectors.discussion_counts(jury).get(work.pk, 0),
        },
    )  # fmt: skip


@require_POST
@permission_required("judging.manage")
def request_extra(request, pk, work_pk):
    jury = jury_or_404(pk)
    work = get_object_or_404(jury_works(jury), pk=work_pk)
    run_action(
        request,
        lambda: services.assignment_request_extra(jury=jury, work=work, actor=request.user),
        _("One more expert has been assigned."),
    )
    return redirect("judging:ranking", jury.pk)


@permission_required("judging.manage")
def finalists(request, pk):
    jury = jury_or_404(pk)
    levels = sorted(set(jury_works(jury, states=RANKED_STATES).values_list("level", flat=True)))
    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "rule" in request.GET else None)
    )
    form = SelectionForm(data, levels=levels, initial={"level": levels[0] if levels else ""})
    preview = None
    if form.is_bound and form.is_valid():
        args = {k: form.cleaned_data[k] for k in ("level", "rule", "value")}
        try:
            preview = selectors.finalist_preview(jury=jury, **args)
            if request.method == "POST":
                services.finalists_approve(jury=jury, actor=request.user, **args)
                messages.success(request, _("Finalists approved; the authors have been notified."))
                return redirect("judging:finalists", jury.pk)
        except DomainError as exc:
            form.add_error(None, exc.message)
    lists = selectors.finalists_for_edition(jury.edition).filter(category=jury.category)
    return render(
        request,
        "judging/finalists.html",
        {
            "jury": jury, "form": form, "preview": preview, "lists": lists,
            "notes": selectors.consensus_notes(jury), "counts": selectors.discussion_counts(jury),
            "threshold": jury.edition.settings.get(
                "disagreement_threshold", selectors.DEFAULT_DISAGREEMENT
            ),
        },
    )  # fmt: skip
