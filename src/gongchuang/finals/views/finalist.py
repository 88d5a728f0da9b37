"""Finalists' pages: schedule, attendance, check-in QR, on-site task, results and certificates."""

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError
from gongchuang.common.site import absolute_url
from gongchuang.editions.selectors import current_edition
from gongchuang.submissions.models import Work

from .. import selectors, services
from ..certificates import certificate_ensure_file, certificate_file_name
from ..forms import TaskSubmitForm
from ..growth_report import growth_report_build, growth_report_file_name, render_growth_report_pdf
from ..models import Certificate, FinalistAttendance, OnsiteTask, SessionParticipant


def finalist_overview(user, edition, event) -> list[dict]:
    """Per own finalist work: attendance, sessions, released tasks, result, certificates."""
    works = list(selectors.final_works_of(user, edition=edition))
    if not works or event is None:
        return [{"work": w} for w in works]
    ids = [w.pk for w in works]
    attendance = {
        a.work_id: a for a in FinalistAttendance.objects.filter(event=event, work_id__in=ids)
    }
    sessions: dict[int, list] = {}
    for p in (
        SessionParticipant.objects.filter(session__event=event, work_id__in=ids)
        .select_related("session")
        .order_by("session__starts_at")
    ):
        sessions.setdefault(p.work_id, []).append(p.session)
    tasks: dict[int, list] = {}
    for task in (
        OnsiteTask.objects.filter(session__participants__work_id__in=ids, released_at__isnull=False)
        .prefetch_related("extensions", "submissions", "session__participants")
        .distinct()
    ):
        for p in task.session.participants.all():
            if p.work_id in ids:
                tasks.setdefault(p.work_id, []).append(task)
    results = (
        {r.work_id: r for r in event.results.filter(work_id__in=ids)} if event.is_published else {}
    )
    specials: dict[int, list] = {}
    if event.is_published:
        for award in event.special_awards.filter(work_id__in=ids):
            specials.setdefault(award.work_id, []).append(award)
    certs: dict[int, list] = {}
    for cert in Certificate.objects.filter(event=event, user=user, revoked_at__isnull=True):
        certs.setdefault(cert.work_id, []).append(cert)
    return [
        {
            "work": w,
            "attendance": attendance.get(w.pk),
            "sessions": sessions.get(w.pk, []),
            "tasks": [
                {"task": t, "deadline": selectors.task_deadline(task=t, work=w)}
                for t in tasks.get(w.pk, [])
            ],
            "result": results.get(w.pk),
            "specials": specials.get(w.pk, []),
            "certificates": certs.get(w.pk, []),
        }
        for w in works
    ]


@login_required
def my_final(request):
    edition = current_edition()
    event = selectors.event_for(edition)
    rows = finalist_overview(request.user, edition, event)
    reports = selectors.growth_report_works(request.user)
    return render(
        request, "finals/my_final.html", {"event": event, "rows": rows, "reports": reports}
    )


def _own_work(request, work_pk: int):
    edition = current_edition()
    return get_object_or_404(selectors.final_works_of(request.user, edition=edition), pk=work_pk)


@login_required
@require_POST
def attendance(request, work_pk: int):
    work = _own_work(request, work_pk)
    event = selectors.event_for(work.edition)
    if event is None:
        raise Http404
    attend = request.POST.get("attend") == "yes"
    try:
        services.attendance_answer(event=event, work=work, user=request.user, attend=attend)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Your attendance is confirmed.")
            if attend
            else _("Your work has withdrawn from the final."),
        )
    return redirect("finals:my_final")


@login_required
def checkin_qr(request, work_pk: int):
    """The finalist's check-in QR (SVG); it opens the venue check-in page with the code."""
    work = _own_work(request, work_pk)
    row = get_object_or_404(FinalistAttendance, work=work, event__edition=work.edition)
    url = absolute_url(f"{reverse('finals:checkin')}?code={row.checkin_code}")
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    return HttpResponse(image.to_string(), content_type="image/svg+xml")


@login_required
def task_detail(request, pk: int, work_pk: int):
    work = _own_work(request, work_pk)
    task = get_object_or_404(
        OnsiteTask, pk=pk, released_at__isnull=False, session__participants__work=work
    )
    deadline = selectors.task_deadline(task=task, work=work)
    submission = task.submissions.filter(work=work).first()
    form = TaskSubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_submit(
                task=task,
                work=work,
                user=request.user,
                text=form.cleaned_data["text"],
                link=form.cleaned_data["link"],
                file=form.cleaned_data["file"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your result has been submitted."))
            return redirect("finals:task_detail", pk=task.pk, work_pk=work.pk)
    return render(
        request,
        "finals/task_detail.html",
        {
            "task": task,
            "work": work,
            "deadline": deadline,
            "form": form,
            "submission": submission,
            "open": deadline is not None and timezone.now() < deadline,
        },
    )


@login_required
def task_attachment(request, pk: int, work_pk: int):
    work = _own_work(request, work_pk)
    task = get_object_or_404(
        OnsiteTask, pk=pk, released_at__isnull=False, session__participants__work=work
    )
    if not task.attachment:
        raise Http404
    return FileResponse(
        task.attachment.open("rb"), as_attachment=True, filename=task.attachment_name or "task"
    )


@login_required
def certificate_pdf(request, code: str):
    event = selectors.current_event()
    if event is None:
        raise Http404
    certificate = get_object_or_404(
        selectors.certificates_visible_to(request.user, event=event), code=code
    )
    certificate_ensure_file(certificate)
    return FileResponse(
        certificate.file.open("rb"),
        as_attachment=True,
        filename=certificate_file_name(certificate),
        content_type="application/pdf",
    )


def _report_work(request, work_pk: int) -> Work:
    return get_object_or_404(
        Work.objects.select_related("edition", "category").prefetch_related("authorships"),
        pk=work_pk,
    )


@permission_required("finals.growth_report", obj=_report_work)
def growth_report(request, work_pk: int):
    """The work's growth report PDF, for its authors and advisors once results are published."""
    work = _report_work(request, work_pk)
    try:
        report = growth_report_build(work=work, event=selectors.event_for(work.edition))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("finals:my_final")
    return HttpResponse(
        render_growth_report_pdf(report),
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(True, growth_report_file_name(work))
        },
    )
