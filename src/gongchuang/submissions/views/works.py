"""The work wizard (create → materials/team → submit → receipt), my works, school works."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.accounts.enums import Role
from gongchuang.common.errors import DomainError
from gongchuang.common.files.validate import kinds_label
from gongchuang.common.paginator import BoundedPaginator
from gongchuang.editions.enums import Step, Track
from gongchuang.editions.selectors import current_edition

from .. import direct_upload, partials, rules, selectors, services
from ..enums import WorkState
from ..forms import FileUploadForm, InviteForm, WithdrawForm, WorkCreateForm, WorkFieldsForm
from .common import run_action


def _edition_or_404():
    edition = current_edition()
    if edition is None:
        raise Http404(_("No edition is open at the moment."))
    return edition


def categories_for(user, edition, *, slot_held: bool = False) -> list:
    """Categories ``user`` may create a work in: by level (students) or track (teachers).

    With ``slot_held`` (the student already submitted this edition's one work, in any
    category), no student category is offered. A profile is looked up only for the
    matching role (registration gives both together).
    """
    result = []
    roles = user.roles
    profile = getattr(user, "student_profile", None) if Role.STUDENT in roles else None
    is_teacher = Role.TEACHER in roles and hasattr(user, "teacher_profile")
    for category in edition.categories.all():
        if category.track == Track.TEACHER:
            if is_teacher:
                result.append(category)
        elif profile is not None and not slot_held and category.accepts_level(profile.level):
            result.append(category)
    return result


@login_required
def my_works(request):
    edition = _edition_or_404()
    works = selectors.my_works(request.user, edition=edition)
    for work in works:
        work.problems = selectors.submission_problems(work) if work.is_editable_state else []
    submitted = selectors.slot_work(request.user, works)
    categories = categories_for(request.user, edition, slot_held=submitted is not None)
    context = {
        "edition": edition,
        "works": works,
        "submitted_work": submitted,
        "invitations": selectors.pending_invitations(request.user, edition=edition),
        "window": edition.window(Step.SUBMISSION),
        "can_create": bool(categories) and rules.submission_open_for(edition),
    }
    return render(request, "submissions/my_works.html", context)


@login_required
def work_create(request):
    edition = _edition_or_404()
    held = Role.STUDENT in request.user.roles and selectors.holds_slot(
        request.user, edition=edition
    )
    categories = categories_for(request.user, edition, slot_held=held)
    if not categories:
        if held:
            messages.info(
                request,
                _(
                    "You have already submitted your work of this edition: each student "
                    "submits one work per edition, in all categories together."
                ),
            )
            return redirect("submissions:my_works")
        raise PermissionDenied
    form = WorkCreateForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        category = data.pop("category")
        try:
            work = services.work_create(
                actor=request.user, edition=edition, category=category, **data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft saved. Now upload the materials."))
            return redirect(work)
    context = {"form": form, "edition": edition, "window": edition.window(Step.SUBMISSION)}
    if not form.is_bound:
        # The empty form is the same for everyone offered these categories: rendered once.
        context["form_cache_key"] = "|".join(f"{c.pk}:{c.name}" for c in categories)
    return render(request, "submissions/work_form.html", context)


@login_required
def work_detail(request, pk):
    work = selectors.work_for(request.user, pk)
    member = rules.membership_of(request.user, work)
    can_edit = rules.can_edit(request.user, work)
    can_team = rules.can_manage_team(request.user, work)
    context = {
        "work": work,
        "member": member,
        "can_edit": can_edit,
        "can_team": can_team,
        "can_withdraw": rules.can_withdraw(request.user, work),
        "problems": selectors.submission_problems(work) if work.is_editable_state else [],
        "timeline": selectors.work_timeline(work),
        "window": work.edition.window(Step.SUBMISSION),
        "slots": _slots(work),
        "team": work.authors() + work.advisors(),
        "upload_form": FileUploadForm(category=work.category) if can_edit else None,
        "invite_form": InviteForm(category=work.category) if can_team else None,
        "withdraw_form": WithdrawForm(),
        "direct_upload": direct_upload.page_config() if can_edit else None,
        "upload_chunk": partials.chunk_size() if can_edit else None,
    }
    response = render(request, "submissions/work_detail.html", context)
    if context["direct_upload"]:
        # The browser sends big files to the bucket: allow that origin for fetch/XHR.
        response._csp_update = {"connect-src": [context["direct_upload"]["origin"]]}
    return response


# File pickers offer these; the server decides by content anyway.
ACCEPT = {
    "image": ".png,.jpg,.jpeg,.webp,.gif",
    "video": ".mp4,.mov,.webm",
    "audio": ".mp3,.wav,.m4a,.ogg,.flac",
    "pdf": ".pdf",
    "docx": ".docx",
    "pptx": ".pptx",
    "xlsx": ".xlsx",
    "zip": ".zip",
}


def _slots(work):
    files = list(work.files.all())
    return [
        {
            "material": m,
            "files": [f for f in files if f.slot == m["key"]],
            "accept": ",".join(ACCEPT[k] for k in m["kinds"] if k in ACCEPT),
            "kinds": kinds_label(m["kinds"]),
        }
        for m in work.category.materials
    ]


@login_required
def work_edit(request, pk):
    work = selectors.work_for(request.user, pk)
    if not rules.is_author(request.user, work):
        raise Http404
    form = WorkFieldsForm(request.POST or None, instance=work)
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST" and form.is_valid():
        try:
            services.work_update(work=work, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if autosave:
                return JsonResponse({"saved_at": timezone.localtime().strftime("%H:%M:%S")})
            messages.success(request, _("Your changes have been saved."))
            return redirect(work)
    if autosave:
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return JsonResponse({"errors": errors}, status=400)
    return render(
        request,
        "submissions/work_form.html",
        {"form": form, "work": work, "window": work.edition.window(Step.SUBMISSION)},
    )


@login_required
@require_POST
def work_submit(request, pk):
    work = selectors.work_to_change(request.user, pk)
    try:
        work = services.work_submit(work=work, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(work)
    messages.success(
        request, _("Your work has been submitted. Its code is %(code)s.") % {"code": work.code}
    )
    return redirect("submissions:work_receipt", pk=work.pk)


@login_required
def work_receipt(request, pk):
    work = selectors.work_for(request.user, pk)
    if not work.code or work.state in (WorkState.DRAFT,):
        raise Http404
    return render(request, "submissions/receipt.html", {"work": work})


@login_required
@require_POST
def work_withdraw(request, pk):
    work = selectors.work_for(request.user, pk)
    form = WithdrawForm(request.POST)
    if rules.membership_of(request.user, work) is None or not form.is_valid():
        raise Http404
    run_action(
        request,
        lambda: services.work_withdraw(
            work=work, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The work has been withdrawn."),
    )
    return redirect(work)


@permission_required("submissions.coordinate")
def school_works(request):
    edition = _edition_or_404()
    state = request.GET.get("state", "")
    qs = selectors.works_of_coordinator(request.user, edition=edition)
    if state in WorkState.values:
        qs = qs.filter(state=state)
    page = BoundedPaginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "submissions/school_works.html",
        {
            "page_obj": page,
            "edition": edition,
            "states": WorkState.choices,
            "state": state,
            "query_string": f"state={state}" if state else "",
        },
    )
