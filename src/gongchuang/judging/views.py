"""Pages of the expert review: committee (juries, assignment, ranking, finalists) and experts."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.enums import Role
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Step
from gongchuang.editions.selectors import current_edition
from gongchuang.submissions.models import Work

from . import selectors, services
from .calibration import ZSCORE_MIN_WORKS
from .enums import MIN_WORKS_FOR_CALIBRATION, PLEDGE_VERSION
from .forms import (
    AddExpertForm,
    ConflictForm,
    ImportForm,
    JuryForm,
    JurySettingsForm,
    MembersForm,
    PledgeForm,
    ReviewForm,
    SelectionForm,
    experts_queryset,
)
from .importers import COLUMNS, experts_import
from .matching import RANKED_STATES, jury_works
from .models import Assignment, ConflictDeclaration, Jury
from .peers import peer_scores


def _edition():
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


def _jury(pk) -> Jury:
    return get_object_or_404(
        Jury.objects.select_related("category", "edition"), pk=pk, edition=_edition()
    )


# ---------------------------------------------------------------- committee


@committee_required
def home(request):
    edition = _edition()
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


@committee_required
def experts(request):
    edition = _edition()
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = experts_import(
                fileobj=form.cleaned_data["file"], edition=edition, actor=request.user
            )
        except DomainError as exc:
            errors = getattr(exc, "errors", [exc.message])
        else:
            messages.success(request, _("%(n)s experts imported.") % {"n": len(created)})
            return redirect("judging:experts")
    page = Paginator(experts_queryset().select_related("expert_profile__unit"), 50).get_page(
        request.GET.get("page")
    )
    columns = [title for _key, title in COLUMNS]
    return render(
        request,
        "judging/experts.html",
        {"form": form, "errors": errors, "page_obj": page, "columns": columns},
    )


@committee_required
def jury_detail(request, pk):
    jury = _jury(pk)
    overview = selectors.jury_overview(jury)
    page = Paginator(overview.works, 50).get_page(request.GET.get("page"))
    members_form = MembersForm(jury=jury, initial={"members": list(jury.members.all())})
    return render(
        request,
        "judging/jury.html",
        {
            "jury": jury,
            "overview": overview,
            "page_obj": page,
            "members_form": members_form,
            "add_form": AddExpertForm(jury=jury),
            "settings_form": JurySettingsForm(
                initial={"peer_scores_visible": jury.peer_scores_visible}
            ),
            "min_works": MIN_WORKS_FOR_CALIBRATION,
        },
    )


def _run(request, action, success):
    """Call one service; its DomainError becomes an error message."""
    try:
        result = action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return result


@require_POST
@committee_required
def jury_members(request, pk):
    jury = _jury(pk)
    form = MembersForm(request.POST, jury=jury)
    if form.is_valid():
        _run(
            request,
            lambda: services.jury_set_members(
                jury=jury, members=form.cleaned_data["members"], actor=request.user
            ),
            _("Experts of the jury saved."),
        )
    return redirect("judging:jury", jury.pk)


@require_POST
@committee_required
def jury_settings(request, pk):
    jury = _jury(pk)
    form = JurySettingsForm(request.POST)
    if form.is_valid():
        visible = form.cleaned_data["peer_scores_visible"]
        _run(
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
@committee_required
def jury_solve(request, pk):
    jury = _jury(pk)
    _run(
        request,
        lambda: services.jury_solve(jury=jury, actor=request.user),
        _("Assignment solved (optimal)."),
    )
    return redirect("judging:jury", jury.pk)


@require_POST
@committee_required
def jury_publish(request, pk):
    jury = _jury(pk)
    _run(
        request,
        lambda: services.jury_publish(jury=jury, actor=request.user),
        _("Assignments published: the experts can now review."),
    )
    return redirect("judging:jury", jury.pk)


@require_POST
@committee_required
def jury_remind(request, pk):
    jury = _jury(pk)
    n = services.experts_remind(jury=jury, actor=request.user)
    messages.success(request, _("%(n)s experts reminded.") % {"n": n})
    return redirect("judging:jury", jury.pk)


@require_POST
@committee_required
def assignment_action(request, pk, assignment_pk, action):
    jury = _jury(pk)
    a = get_object_or_404(
        Assignment.objects.select_related("jury", "work", "expert"), pk=assignment_pk, jury=jury
    )
    if action == "pin":
        _run(
            request,
            lambda: services.assignment_pin(assignment=a, pinned=not a.pinned, actor=request.user),
            _("Saved."),
        )
    elif action == "forbid":
        _run(
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
@committee_required
def jury_add(request, pk):
    jury = _jury(pk)
    form = AddExpertForm(request.POST, jury=jury)
    if form.is_valid():
        work = get_object_or_404(jury_works(jury), pk=form.cleaned_data["work"])
        _run(
            request,
            lambda: services.assignment_add(
                jury=jury, work=work, expert=form.cleaned_data["expert"], actor=request.user
            ),
            _("Expert added."),
        )
    return redirect("judging:jury", jury.pk)


@committee_required
def ranking(request, pk):
    jury = _jury(pk)
    result = selectors.jury_ranking(jury)
    return render(
        request,
        "judging/ranking.html",
        {"jury": jury, "ranking": result, "zscore_min": ZSCORE_MIN_WORKS},
    )


@committee_required
def work_reviews(request, pk, work_pk):
    """The committee reads every expert's scores and comments of one work."""
    jury = _jury(pk)
    work = get_object_or_404(jury_works(jury, states=RANKED_STATES), pk=work_pk)
    rubric = services.rubric_of(work.category)
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
        {"jury": jury, "work": work, "rubric": rubric, "rows": rows},
    )


@require_POST
@committee_required
def request_extra(request, pk, work_pk):
    jury = _jury(pk)
    work = get_object_or_404(jury_works(jury), pk=work_pk)
    _run(
        request,
        lambda: services.assignment_request_extra(jury=jury, work=work, actor=request.user),
        _("One more expert has been assigned."),
    )
    return redirect("judging:ranking", jury.pk)


@committee_required
def finalists(request, pk):
    jury = _jury(pk)
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
        {"jury": jury, "form": form, "preview": preview, "lists": lists},
    )


# ---------------------------------------------------------------- experts


@expert_required
def pledge(request):
    edition = _edition()
    form = PledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.pledge_accept(expert=request.user, edition=edition)
        messages.success(request, _("Thank you. You can now review the works assigned to you."))
        return redirect("judging:queue")
    return render(
        request,
        "judging/pledge.html",
        {
            "form": form,
            "version": PLEDGE_VERSION,
            "pledged": selectors.has_pledged(request.user, edition),
        },
    )


@expert_required
def queue(request):
    edition = _edition()
    if not selectors.has_pledged(request.user, edition):
        return redirect("judging:pledge")
    page = Paginator(selectors.assignments_for_expert(request.user, edition), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "judging/queue.html",
        {
            "page_obj": page,
            "progress": selectors.expert_progress(request.user, edition),
            "window": edition.window(Step.EXPERT_REVIEW),
            "open": edition.is_open(Step.EXPERT_REVIEW),
        },
    )


@expert_required
def review(request, work_pk):
    edition = _edition()
    assignment = selectors.assignment_for_expert_work(request.user, edition, work_pk)
    if not selectors.has_pledged(request.user, edition):
        return redirect("judging:pledge")
    work = assignment.work
    rubric = services.rubric_of(work.category)
    existing = getattr(assignment, "review", None)
    initial = {}
    if existing:
        initial = {f"score_{k}": v for k, v in existing.scores.items()}
        initial |= {
            "comment_to_committee": existing.comment_to_committee,
            "comment_to_authors": existing.comment_to_authors,
        }
    form = ReviewForm(
        request.POST if request.method == "POST" else None, rubric=rubric, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.review_save(
                assignment=assignment,
                scores=form.scores(),
                comment_to_committee=form.cleaned_data["comment_to_committee"],
                comment_to_authors=form.cleaned_data["comment_to_authors"],
                submit=submit,
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Review submitted.") if submit else _("Draft saved."))
            return redirect(
                "judging:queue" if submit else "judging:review", *([] if submit else [work.pk])
            )
    return render(
        request,
        "judging/review.html",
        {
            "assignment": assignment,
            "work": work,
            "files": _blind_files(work),
            "form": form,
            "review": existing,
            "peers": peer_scores(assignment, rubric, existing),
            "open": edition.is_open(Step.EXPERT_REVIEW),
            "window": edition.window(Step.EXPERT_REVIEW),
        },
    )


def _blind_files(work: Work) -> list[dict]:
    """Materials labelled by their slot, never by the uploaded file name (it may carry a name)."""
    labels = {m["key"]: m["label"] for m in work.category.materials}
    return [
        {"pk": f.pk, "label": labels.get(f.slot, f.slot), "kind": f.kind, "size": f.size, "n": i}
        for i, f in enumerate(work.files.order_by("slot", "created_at"), start=1)
    ]


@expert_required
def work_file(request, work_pk, file_pk):
    edition = _edition()
    assignment = selectors.assignment_for_expert_work(request.user, edition, work_pk)
    if not selectors.has_pledged(request.user, edition):
        raise Http404
    f = get_object_or_404(assignment.work.files, pk=file_pk)
    inline = f.kind in {"image", "video", "audio", "pdf"}
    extension = f.original_name.rsplit(".", 1)[-1] if "." in f.original_name else "bin"
    response = FileResponse(
        f.file.open("rb"),
        content_type=f.mime,
        as_attachment=not inline,
        filename=f"material-{f.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@expert_required
def conflicts(request):
    edition = _edition()
    form = ConflictForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        work = None
        if data["work_code"]:
            work = Work.objects.filter(edition=edition, code=data["work_code"].strip()).first()
            if work is None:
                form.add_error("work_code", _("No work has this code."))
        if not form.errors:
            services.conflict_declare(
                expert=request.user, school=data["school"], unit=data["unit"], work=work,
                reason=data["reason"], actor=request.user,
            )  # fmt: skip
            messages.success(request, _("Conflict of interest recorded."))
            return redirect("judging:conflicts")
    declared = ConflictDeclaration.objects.filter(expert=request.user).select_related(
        "school", "unit", "work"
    )
    return render(request, "judging/conflicts.html", {"form": form, "declared": declared})
