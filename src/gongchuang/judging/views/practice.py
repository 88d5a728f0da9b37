"""The judge practice round: the committee's samples and deviations, the expert's practice."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongchuang.accounts.access import permission_required
from gongchuang.accounts.models import User
from gongchuang.common.errors import DomainError
from gongchuang.common.params import posted_id
from gongchuang.editions.scale import score_scale

from .. import services
from ..forms import PracticeWorkForm, ScoresForm
from ..models import PracticeWork
from ..selectors import practice as sel
from .common import edition_or_404


@permission_required("judging.practice_manage")
def manage(request):
    """Committee: add and remove sample works; each expert's deviation per dimension."""
    edition = edition_or_404()
    categories = [c for c in edition.categories.order_by("order", "pk") if c.rubric.exists()]
    chosen = request.POST.get("category") or request.GET.get("category")
    category = next(
        (c for c in categories if str(c.pk) == chosen), categories[0] if categories else None
    )
    action = request.POST.get("action") if request.method == "POST" else None
    form = PracticeWorkForm(
        request.POST if action == "add" else None,
        rubric=list(category.rubric.all()) if category else [],
        scale=score_scale(edition),
    )
    if action == "add" and category and form.is_valid():
        try:
            services.practice_work_add(
                edition=edition, category=category, work_code=form.cleaned_data["work_code"],
                title=form.cleaned_data["title"], description=form.cleaned_data["description"],
                reference=form.scores(), actor=request.user,
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Sample work added."))
            return redirect(f"{request.path}?category={category.pk}")
    elif action in ("remove", "bias"):
        _remove_sample_or_apply_bias(request, edition, action)
        return redirect("judging:practice")
    return render(
        request,
        "judging/practice.html",
        {
            "edition": edition,
            "categories": categories,
            "category": category,
            "form": form,
            "open": True,
            "scale": score_scale(edition),
            "samples": sel.practice_works(edition).order_by("category__order", "order", "pk"),
            "tables": sel.deviation_tables(edition),
            "required": sel.practice_required(edition),
        },
    )


def _remove_sample_or_apply_bias(request, edition, action: str) -> None:
    """The list's two row actions; the outcome, or the refusal, is left as a message."""
    try:
        if action == "remove":
            sample = get_object_or_404(
                PracticeWork, pk=posted_id(request.POST, "sample"), edition=edition
            )
            services.practice_work_remove(sample=sample, actor=request.user)
            messages.success(request, _("Sample work removed."))
        else:
            expert = get_object_or_404(User, pk=posted_id(request.POST, "expert"))
            bias = services.practice_bias_apply(edition=edition, expert=expert, actor=request.user)
            messages.success(
                request,
                _("Practice bias %(bias)s recorded for %(name)s; it is shown on the ranking pages.")
                % {"bias": f"{bias:+.1f}", "name": expert.display_name},
            )
    except DomainError as exc:
        messages.error(request, exc.message)


@permission_required("judging.practice")
def score(request, pk):
    """Expert: score one practice work, then see the deviation from the reference."""
    edition = edition_or_404()
    sample = sel.practice_work_for_expert(request.user, edition, pk)
    existing = sel.practice_score_of(request.user, sample)
    form = ScoresForm(
        request.POST if request.method == "POST" and not existing else None,
        rubric=list(sample.category.rubric.all()),
        scale=score_scale(edition),
        initial={f"score_{k}": v for k, v in (existing.scores if existing else {}).items()},
    )
    if request.method == "POST" and not existing and form.is_valid():
        try:
            services.practice_score_submit(
                edition=edition,
                practice_work_pk=sample.pk,
                scores=form.scores(),
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Practice score submitted. Compare it with the reference below.")
            )
            return redirect("judging:practice_score", sample.pk)
    pending = sel.practice_pending(request.user, edition)
    return render(
        request,
        "judging/practice_score.html",
        {
            "sample": sample,
            "form": form,
            "open": existing is None,
            "scale": score_scale(edition),
            "score": existing,
            "deviations": sel.practice_deviations(sample, existing),
            "next": pending[0] if pending else None,
        },
    )
