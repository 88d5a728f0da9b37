"""Expert pages of the review: pledge, queue, blind review, materials, conflicts."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError
from gongchuang.common.paginator import BoundedPaginator
from gongchuang.editions.enums import Step
from gongchuang.editions.scale import score_scale
from gongchuang.submissions.models import Work

from .. import selectors, services
from ..enums import PLEDGE_VERSION
from ..forms import ConflictForm, PledgeForm, ReviewForm
from ..models import ConflictDeclaration
from ..peers import peer_scores
from ..selectors import practice as practice_sel
from .common import edition_or_404


@permission_required("judging.review")
def pledge(request):
    edition = edition_or_404()
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


@permission_required("judging.review")
def queue(request):
    edition = edition_or_404()
    if not selectors.has_pledged(request.user, edition):
        return redirect("judging:pledge")
    page = BoundedPaginator(selectors.assignments_for_expert(request.user, edition), 50).get_page(
        request.GET.get("page")
    )
    juries = selectors.expert_juries(request.user, edition)
    samples = practice_sel.practice_works_for_expert(request.user, edition)
    pending = {p.pk for p in practice_sel.practice_pending(request.user, edition, samples)}
    return render(
        request,
        "judging/queue.html",
        {
            "practice": [(p, p.pk not in pending) for p in samples] if pending else [],
            "practice_done": bool(samples) and not pending,
            "practice_blocks": bool(pending) and practice_sel.practice_required(edition),
            "page_obj": page,
            "distributions": selectors.score_distributions(request.user, juries),
            "led": [jury for jury in juries if jury.lead_id == request.user.pk],
            "progress": selectors.expert_progress(request.user, edition),
            "window": edition.window(Step.EXPERT_REVIEW),
            "open": edition.is_open(Step.EXPERT_REVIEW),
        },
    )


def _review_not_yet(request, edition):
    """Where an expert goes instead of a review: the pledge first, then the practice
    round (a redirect); None when the review may open."""
    if not selectors.has_pledged(request.user, edition):
        return redirect("judging:pledge")
    if practice_sel.practice_blocks_review(request.user, edition):
        messages.error(
            request,
            _("Please finish the practice round first: score the practice works below, then "
              "your assigned works open."),
        )  # fmt: skip
        return redirect(
            "judging:practice_score", practice_sel.practice_pending(request.user, edition)[0].pk
        )
    return None


def _review_initial(existing) -> dict:
    if not existing:
        return {}
    initial = {f"score_{k}": v for k, v in existing.scores.items()}
    return initial | {
        "comment_to_committee": existing.comment_to_committee,
        "comment_to_authors": existing.comment_to_authors,
    }


@permission_required("judging.review")
def review(request, work_pk):
    edition = edition_or_404()
    assignment = selectors.assignment_for_expert_work(request.user, edition, work_pk)
    if (not_yet := _review_not_yet(request, edition)) is not None:
        return not_yet
    work = assignment.work
    rubric = selectors.rubric_of(work.category)
    existing = getattr(assignment, "review", None)
    final = selectors.review_is_final(existing, assignment.jury)
    scale = score_scale(edition)
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        rubric=rubric,
        scale=scale,
        initial=_review_initial(existing),
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
            "open": edition.is_open(Step.EXPERT_REVIEW) and not final,
            "final_after_peers": final,
            "window": edition.window(Step.EXPERT_REVIEW),
            "scale": scale,
            "discussion": selectors.discussion_access(request.user, assignment.jury, work),
        },
    )


@require_POST
@permission_required("judging.review")
def review_draft(request, work_pk):
    """Autosave of the review form (fetch from review.js): JSON, never a redirect."""
    edition = edition_or_404()
    assignment = selectors.assignment_for_expert_work(request.user, edition, work_pk)
    if not selectors.has_pledged(request.user, edition):
        raise Http404
    if practice_sel.practice_blocks_review(request.user, edition):
        return JsonResponse(
            {"ok": False, "message": _("Please finish the practice round first.")}, status=403
        )
    form = ReviewForm(
        request.POST,
        rubric=selectors.rubric_of(assignment.work.category),
        scale=score_scale(edition),
    )
    if not form.is_valid():
        errors = [e for field in form.errors.values() for e in field]
        return JsonResponse({"ok": False, "message": errors[0]}, status=400)
    try:
        review = services.review_draft_save(
            assignment=assignment,
            scores=form.scores(),
            comment_to_committee=form.cleaned_data["comment_to_committee"],
            comment_to_authors=form.cleaned_data["comment_to_authors"],
            actor=request.user,
        )
    except DomainError as exc:
        return JsonResponse({"ok": False, "message": exc.message}, status=400)
    return JsonResponse({"ok": True, "total": review.total})


def _blind_files(work: Work) -> list[dict]:
    """Materials labelled by their slot, never by the uploaded file name (it may carry a name)."""
    labels = {m["key"]: m["label"] for m in work.category.materials}
    return [
        {
            "pk": f.pk,
            "label": labels.get(f.slot, f.slot),
            "kind": f.kind,
            "size": f.size,
            "n": i,
            "ai_label": f.ai_label,
        }
        for i, f in enumerate(work.files.order_by("slot", "created_at"), start=1)
    ]


@permission_required("judging.review")
def work_file(request, work_pk, file_pk):
    edition = edition_or_404()
    assignment = selectors.assignment_for_expert_work(request.user, edition, work_pk)
    if not selectors.has_pledged(request.user, edition):
        raise Http404
    if practice_sel.practice_blocks_review(request.user, edition):
        return JsonResponse(
            {"ok": False, "message": _("Please finish the practice round first.")}, status=403
        )
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


@permission_required("judging.review")
def conflicts(request):
    edition = edition_or_404()
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
