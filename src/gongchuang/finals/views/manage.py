"""Committee pages: the final's programme, judges and finalists, tasks, check-in, results;
certificate batches (committee and unit organizers)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError
from gongchuang.editions.selectors import current_edition
from gongchuang.publicity.selectors import award_list

from .. import awards, selectors, services
from ..enums import Attendance
from ..forms import (
    AddJudgeForm,
    AddParticipantForm,
    BatchForm,
    CheckinForm,
    CorrectionForm,
    EventForm,
    ExtensionForm,
    ReasonForm,
    SessionForm,
    SpecialAwardForm,
    TaskForm,
)
from ..models import FinalistAttendance, OnsiteTask, Session


def _event_or_404():
    event = selectors.current_event()
    if event is None:
        raise Http404
    return event


@permission_required("finals.manage")
def manage_home(request):
    edition = current_edition()
    event = selectors.event_for(edition)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid() and edition is not None:
        try:
            if event is None:
                services.event_create(edition=edition, actor=request.user, **form.cleaned_data)
            else:
                services.event_update(event=event, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The final event has been saved."))
            return redirect("finals:manage_home")
    sessions = []
    stats = {}
    if event is not None:
        sessions = event.sessions.annotate(
            n_participants=Count("participants", distinct=True),
            n_judges=Count("judge_links", distinct=True),
        ).select_related("category")
        stats = event.attendances.aggregate(
            confirmed=Count("pk", filter=Q(status=Attendance.CONFIRMED)),
            withdrawn=Count("pk", filter=Q(status=Attendance.WITHDRAWN)),
            pending=Count("pk", filter=Q(status=Attendance.PENDING)),
            checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        )
    return render(
        request,
        "finals/manage_home.html",
        {
            "event": event,
            "form": form,
            "sessions": sessions,
            "stats": stats,
            "session_form": SessionForm(edition=edition) if event else None,
        },
    )


@permission_required("finals.manage")
@require_POST
def session_create(request):
    event = _event_or_404()
    form = SessionForm(request.POST, edition=event.edition)
    if form.is_valid():
        try:
            session = services.session_create(event=event, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The session has been added."))
            return redirect("finals:manage_session", pk=session.pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("finals:manage_home")


@permission_required("finals.manage")
def manage_session(request, pk: int):
    event = _event_or_404()
    session = get_object_or_404(Session.objects.select_related("category"), pk=pk, event=event)
    forms = {
        "judge": AddJudgeForm(prefix="judge"),
        "participant": AddParticipantForm(prefix="participant", session=session),
        "task": TaskForm(prefix="task"),
        "extension": ExtensionForm(prefix="ext", session=session),
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if action:
        bound = _session_action(request, session, action)
        if bound is None:
            return redirect("finals:manage_session", pk=session.pk)
        forms[action] = bound
    participants = session.participants.select_related("work", "work__unit").order_by("order")
    attendance = {
        a.work_id: a
        for a in FinalistAttendance.objects.filter(
            event=event, work_id__in=[p.work_id for p in participants]
        )
    }
    return render(
        request,
        "finals/manage_session.html",
        {
            "event": event,
            "session": session,
            "forms": forms,
            "participants": [(p, attendance.get(p.work_id)) for p in participants],
            "judges": session.judge_links.select_related("judge"),
            "tasks": session.tasks.all(),
        },
    )


def _session_action(request, session, action):
    """Run one form action of the session page; the bound form on error, None on success."""
    form_classes = {
        "judge": lambda: AddJudgeForm(request.POST, prefix="judge"),
        "participant": lambda: AddParticipantForm(
            request.POST, prefix="participant", session=session
        ),
        "task": lambda: TaskForm(request.POST, request.FILES, prefix="task"),
        "extension": lambda: ExtensionForm(request.POST, prefix="ext", session=session),
    }
    if action == "release":
        task = get_object_or_404(OnsiteTask, pk=request.POST.get("task"), session=session)
        services.task_release(task=task, actor=request.user)
        messages.success(request, _("The task is released; the finalists' time has started."))
        return None
    if action not in form_classes:
        raise Http404
    form = form_classes[action]()
    if not form.is_valid():
        return form
    data = form.cleaned_data
    try:
        if action == "judge":
            services.session_add_judge(session=session, judge=data["judge"], actor=request.user)
        elif action == "participant":
            services.session_add_participant(session=session, work=data["work"], actor=request.user)
        elif action == "task":
            services.task_create(session=session, actor=request.user, **data)
        else:
            task = session.tasks.order_by("-released_at").first()
            if task is None:
                raise DomainError(_("This session has no task."))
            services.task_extend(
                task=task,
                work=data["work"],
                minutes=data["minutes"],
                reason=data["reason"],
                actor=request.user,
            )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return form
    messages.success(request, _("Saved."))
    return None


@permission_required("finals.manage")
def schedule(request):
    event = _event_or_404()
    sessions = event.sessions.select_related("category").prefetch_related(
        "participants__work", "judge_links__judge"
    )
    return render(request, "finals/schedule.html", {"event": event, "sessions": sessions})


@permission_required("finals.manage")
def signin_sheet(request, pk: int):
    event = _event_or_404()
    session = get_object_or_404(Session, pk=pk, event=event)
    participants = session.participants.select_related(
        "work", "work__unit", "work__school"
    ).prefetch_related("work__authorships__user")
    return render(
        request,
        "finals/signin_sheet.html",
        {"event": event, "session": session, "participants": participants},
    )


@permission_required("finals.checkin")
def checkin(request):
    event = _event_or_404()
    form = CheckinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    row = None
    if request.method == "POST" and form.is_valid():
        try:
            row = services.checkin_by_code(
                event=event, code=form.cleaned_data["code"], actor=request.user
            )
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            if row.already_checked_in:
                messages.info(request, _("Already checked in: %(work)s") % {"work": row.work})
            else:
                messages.success(request, _("Checked in: %(work)s") % {"work": row.work})
            form = CheckinForm()
    return render(request, "finals/checkin.html", {"event": event, "form": form, "row": row})


@permission_required("finals.manage")
def results_review(request):
    event = _event_or_404()
    if request.method == "POST":
        return _results_action(request, event)
    return render(
        request,
        "finals/results_review.html",
        {
            "event": event,
            "groups": selectors.results_by_group(event),
            "unfinished": selectors.unfinished_judges(event),
            "unlock_form": ReasonForm(),
            "award_form": SpecialAwardForm(event=event),
            "special_awards": event.special_awards.select_related("work"),
            "award_list": award_list(event.edition),
            "correction_form": CorrectionForm(event=event) if event.is_published else None,
        },
    )


def _results_action(request, event):
    action = request.POST.get("action")
    try:
        if action == "compute":
            services.results_compute(event=event, actor=request.user)
            messages.success(request, _("The results have been computed."))
        elif action == "lock":
            services.results_lock(event=event, actor=request.user)
            messages.success(request, _("The results are locked."))
        elif action == "unlock":
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.results_unlock(event=event, actor=request.user, reason=reason)
            messages.success(request, _("The results are unlocked."))
        elif action == "publish":
            services.results_publish(event=event, actor=request.user)
            messages.success(request, _("The results are published."))
        elif action == "correct":
            form = CorrectionForm(request.POST, event=event)
            if not form.is_valid():
                raise DomainError(_("Choose the work and the star level and give the reason."))
            awards.award_correct(event=event, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Corrected: the old certificates are revoked."))
        elif action == "award":
            form = SpecialAwardForm(request.POST, event=event)
            if not form.is_valid():
                raise DomainError(_("Fill in the award name and choose a finalist work."))
            services.special_award_create(event=event, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The special award has been added."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("finals:results_review")


@permission_required("finals.certificates")
def certificates(request):
    event = _event_or_404()
    form = BatchForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_batch_start(
                event=event, unit=form.cleaned_data["unit"], actor=request.user
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Certificate generation has started."))
            return redirect("finals:certificates")
    batches = selectors.certificate_batches_visible_to(request.user, event=event)[:20]
    certs = selectors.certificates_visible_to(request.user, event=event)
    return render(
        request,
        "finals/certificates.html",
        {
            "event": event,
            "form": form,
            "batches": batches,
            "count": certs.count(),
            "certificates": certs[:50],
        },
    )


@permission_required("finals.certificates")
def batch_progress(request, pk: int):
    batch = get_object_or_404(
        selectors.certificate_batches_visible_to(request.user, event=_event_or_404()), pk=pk
    )
    return render(request, "finals/_batch_row.html", {"batch": batch})


@permission_required("finals.certificates")
def batch_download(request, pk: int):
    batch = get_object_or_404(
        selectors.certificate_batches_visible_to(request.user, event=_event_or_404()), pk=pk
    )
    if not batch.zip_file:
        raise Http404
    name = f"certificates-{batch.unit.code if batch.unit else 'all'}.zip"
    return FileResponse(batch.zip_file.open("rb"), as_attachment=True, filename=name)
