"""Publicity pages: public lists, objections (logged in), the committee's queue, statements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import can, permission_required
from gongchuang.common.errors import DomainError
from gongchuang.common.masking import mask_name
from gongchuang.common.paginator import BoundedPaginator
from gongchuang.editions.rules import edition_is_writable
from gongchuang.editions.selectors import current_edition
from gongchuang.submissions.enums import WorkState

from . import selectors, services
from .enums import ListKind, ObjectionState
from .forms import (
    DecisionForm,
    NoteForm,
    ObjectionForm,
    PublishForm,
    ReopenForm,
    StatementForm,
    StatementRequestForm,
)
from .models import Objection, ObjectionEvidence, PublicityEntry, PublicityList

# --- Public --------------------------------------------------------------------


def list_index(request):
    edition = current_edition()
    lists = selectors.public_lists(edition) if edition else PublicityList.objects.none()
    return render(request, "publicity/list_index.html", {"lists": lists, "now": timezone.now()})


def list_detail(request, pk: int):
    publicity = get_object_or_404(PublicityList.objects.select_related("edition"), pk=pk)
    rows = [
        {
            "entry": entry,
            "work": entry.work,
            # Public page: every author's name masked (minors or not).
            "authors": "、".join(mask_name(a.user.real_name) for a in entry.work.author_list),
        }
        for entry in selectors.listed_entries(publicity)
    ]
    return render(
        request,
        "publicity/list_detail.html",
        {
            "publicity": publicity,
            "rows": rows,
            # An archived edition's lists take no more objections, whatever their dates say.
            "is_open": publicity.is_open() and edition_is_writable(publicity.edition),
        },
    )


@login_required
def objection_create(request, pk: int, entry_pk: int):
    entry = get_object_or_404(
        PublicityEntry.objects.select_related("publicity_list", "work"),
        pk=entry_pk,
        publicity_list_id=pk,
    )
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.objection_file(
                entry=entry,
                objector=request.user,
                reason=data["reason"],
                contact=data["contact"],
                files=data["files"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Your objection has been received. The committee will tell you the outcome."),
            )
            return redirect("publicity:my_objections")
    return render(request, "publicity/objection_form.html", {"form": form, "entry": entry})


@login_required
def my_objections(request):
    objections = selectors.objections_of(request.user)
    return render(request, "publicity/my_objections.html", {"objections": objections})


# --- Statements (authors or unit) -----------------------------------------------


@login_required
def statement_give(request, pk: int):
    objection = get_object_or_404(
        Objection.objects.select_related("entry__work", "entry__publicity_list__edition"), pk=pk
    )
    if not can(request.user, "publicity.give_statement", objection):
        raise Http404
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_give_statement(
                objection=objection, actor=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your statement has been sent to the committee."))
            return redirect("publicity:statement", pk=objection.pk)
    return render(request, "publicity/statement_form.html", {"objection": objection, "form": form})


# --- Committee -----------------------------------------------------------------


@permission_required("publicity.manage")
def manage(request):
    edition = current_edition()
    form = PublishForm(request.POST or None, initial={"kind": ListKind.FINALIST})
    if request.method == "POST" and form.is_valid():
        try:
            publicity = services.publicity_publish(
                edition=edition,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The list has been published."))
            return redirect(publicity)
    lists = selectors.public_lists(edition) if edition else []
    rows = [{"list": pl, "pending": selectors.pending_objection_count(pl)} for pl in lists]
    return render(request, "publicity/manage.html", {"form": form, "rows": rows})


@permission_required("publicity.manage")
@require_POST
def confirm_final(request, pk: int):
    publicity = get_object_or_404(PublicityList, pk=pk)
    try:
        services.publicity_confirm_final(publicity=publicity, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The list is now final."))
    return redirect("publicity:manage")


@permission_required("publicity.manage")
@require_POST
def reopen(request, pk: int):
    """After an upheld objection the committee may put the list back into publicity."""
    publicity = get_object_or_404(PublicityList, pk=pk)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(" ".join(form.errors["reason"]))
        publicity = services.publicity_reopen(
            publicity=publicity, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The list is under publicity again until %(end)s.")
            % {"end": services.format_end(publicity)},
        )
    return redirect("publicity:manage")


@permission_required("publicity.manage")
def objection_queue(request):
    state = request.GET.get("state", "pending")
    objections = selectors.objections_for_committee(state)
    page = BoundedPaginator(objections, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/objection_queue.html",
        {
            "page_obj": page,
            "state": state,
            "states": ObjectionState.choices,
            "query_string": f"state={state}",
        },
    )


_ACTIONS = {
    "note": NoteForm,
    "request_statement": StatementRequestForm,
    "decide": DecisionForm,
}


@permission_required("publicity.manage")
def objection_detail(request, pk: int):
    objection = get_object_or_404(
        Objection.objects.select_related(
            "entry__work", "entry__publicity_list__edition", "objector"
        ),
        pk=pk,
    )
    action = request.POST.get("action", "")
    forms = {
        name: cls(
            request.POST if action == name else None, prefix=name, initial=_initial(objection, name)
        )
        for name, cls in _ACTIONS.items()
    }
    _decision_choices(forms["decide"], objection)
    if request.method == "POST":
        try:
            done = _apply_action(request, objection, action, forms)
        except DomainError as exc:
            messages.error(request, exc.message)
            done = False
        if done:
            return redirect("publicity:objection_detail", pk=objection.pk)
    return render(
        request, "publicity/objection_detail.html", {"objection": objection, "forms": forms}
    )


def _initial(objection, name: str) -> dict:
    if name == "decide":
        # Finalist lists: not selected or disqualified; award lists (the work is still a
        # finalist): it took part without an award, or is disqualified.
        return {"work_state": services.UPHELD_STATES[objection.entry.publicity_list.kind][0]}
    return {}


def _decision_choices(form, objection) -> None:
    states = services.UPHELD_STATES[objection.entry.publicity_list.kind]
    form.fields["work_state"].choices = [(s, WorkState(s).label) for s in states]


def _apply_action(request, objection, action, forms) -> bool:
    if action == "investigate":
        services.objection_investigate(objection=objection, actor=request.user)
        return True
    form = forms.get(action)
    if form is None or not form.is_valid():
        return False
    data = form.cleaned_data
    if action == "note":
        services.objection_add_note(objection=objection, actor=request.user, text=data["text"])
    elif action == "request_statement":
        services.objection_request_statement(
            objection=objection,
            actor=request.user,
            source=data["source"],
            deadline=data["deadline"],
        )
        messages.success(request, _("The statement has been requested."))
    elif action == "decide":
        services.objection_decide(
            objection=objection,
            actor=request.user,
            upheld=data["upheld"],
            reason=data["reason"],
            work_state=data["work_state"],
        )
        messages.success(request, _("The decision has been recorded."))
    return True


@permission_required("publicity.manage")
def evidence_download(request, pk: int, file_pk: int):
    evidence = get_object_or_404(ObjectionEvidence, pk=file_pk, objection_id=pk)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
