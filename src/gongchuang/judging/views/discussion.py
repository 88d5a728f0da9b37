"""The experts' discussion of a work, the panel lead's page and consensus notes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError

from .. import selectors, services
from ..forms import ConsensusNoteForm, DiscussionSettingsForm, PostForm
from ..matching import RANKED_STATES, jury_works
from .common import jury_or_404, run_action


def _thread_or_404(request, pk, work_pk):
    """(jury, work, access) of a discussion ``request.user`` may read, else 404."""
    jury = jury_or_404(pk)
    work = get_object_or_404(jury_works(jury, states=RANKED_STATES), pk=work_pk)
    access = selectors.discussion_access(request.user, jury, work)
    if access is None:
        raise Http404
    return jury, work, access


@permission_required("judging.discuss")
def discussion(request, pk, work_pk):
    jury, work, access = _thread_or_404(request, pk, work_pk)
    form = PostForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_post(
                jury=jury, work=work, body=form.cleaned_data["body"], actor=request.user
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Message posted."))
            return redirect("judging:discussion", jury.pk, work.pk)
    note = selectors.consensus_note(jury, work)
    note_form = None
    if access == selectors.LEAD:
        note_form = ConsensusNoteForm(initial={"note": note.body if note else ""})
    return render(
        request,
        "judging/discussion.html",
        {
            "jury": jury, "work": work, "access": access, "form": form, "note": note,
            "note_form": note_form,
            "posts": selectors.discussion_posts(jury, work, viewer=request.user, access=access),
        },
    )  # fmt: skip


@require_POST
@permission_required("judging.lead")
def consensus(request, pk, work_pk):
    jury, work, _access = _thread_or_404(request, pk, work_pk)
    form = ConsensusNoteForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: services.consensus_note_save(
                jury=jury, work=work, body=form.cleaned_data["note"], actor=request.user
            ),
            _("Consensus note saved."),
        )
    else:
        messages.error(request, _("Write the consensus note first."))
    return redirect("judging:discussion", jury.pk, work.pk)


@permission_required("judging.lead")
def lead(request, pk):
    """The panel lead's works: disputed first, with their spread, notes and discussions."""
    jury = jury_or_404(pk)
    if not selectors.led_juries(request.user).filter(pk=jury.pk).exists():
        raise Http404
    ranking = selectors.jury_ranking(jury, n_boot=0)
    rows = [r for group in ranking.groups.values() for r in group if r.n_submitted]
    allowed = selectors.lead_allowed_work_ids(jury, request.user, [r.work_id for r in rows])
    notes, counts = selectors.consensus_notes(jury), selectors.discussion_counts(jury)
    lines = [
        {"row": r, "note": notes.get(r.work_id), "messages": counts.get(r.work_id, 0)}
        for r in sorted(
            (r for r in rows if r.work_id in allowed), key=lambda r: (not r.disagreement, -r.spread)
        )
    ]
    return render(
        request, "judging/lead.html", {"jury": jury, "lines": lines, "threshold": ranking.threshold}
    )


@require_POST
@permission_required("judging.manage")
def jury_discussion_settings(request, pk):
    jury = jury_or_404(pk)
    form = DiscussionSettingsForm(request.POST, jury=jury)
    if form.is_valid():
        run_action(
            request,
            lambda: services.jury_set_discussion(
                jury=jury,
                discussion_after_review=form.cleaned_data["discussion_after_review"],
                lead=form.cleaned_data["lead"],
                actor=request.user,
            ),
            _("Discussion settings saved."),
        )
    else:
        messages.error(request, _("Choose one of the jury's experts as panel lead."))
    return redirect("judging:jury", jury.pk)
