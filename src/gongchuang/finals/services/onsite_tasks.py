"""The on-site task challenge: tasks released to a session's finalists, extensions, answers."""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.files.malware import upload_refuse_if_infected
from gongchuang.submissions.models import Work

from ..awards import ensure_finalist_listed
from ..models import OnsiteTask, Session, TaskExtension, TaskSubmission
from ..selectors import task_deadline
from .base import ensure_writable, require_on_work


def task_release(*, task: OnsiteTask, actor) -> OnsiteTask:
    """Show the task to the session's finalists; their time starts now (server clock)."""
    ensure_writable(task.session.event)
    for participant in task.session.participants.select_related("work"):
        ensure_finalist_listed(participant.work)
    with transaction.atomic():
        locked = OnsiteTask.objects.select_for_update().get(pk=task.pk)
        if locked.released_at is None:
            locked.released_at = timezone.now()
            locked.save(update_fields=["released_at"])
            audit_record(
                actor=actor,
                action="final.task_release",
                obj=locked,
                edition_id=task.session.event.edition_id,
            )
    return locked


def task_create(
    *, session: Session, title: str, statement: str, time_limit_minutes: int, attachment=None, actor
) -> OnsiteTask:
    """Add a task to the session, hidden from the finalists until it is released; audited."""
    ensure_writable(session.event)
    if attachment:
        upload_refuse_if_infected(
            attachment, name=attachment.name, actor=actor, obj=session, detail={"task": title}
        )
    task = OnsiteTask(
        session=session,
        title=title,
        statement=statement,
        time_limit_minutes=time_limit_minutes,
    )
    if attachment:
        task.attachment = attachment
        task.attachment_name = getattr(attachment, "name", "")[:200]
    with transaction.atomic():
        task.save()
        audit_record(
            actor=actor,
            action="final.task_create",
            obj=task,
            after={"title": title},
            edition_id=session.event.edition_id,
        )
    return task


def task_extend(*, task: OnsiteTask, work: Work, minutes: int, reason: str, actor) -> TaskExtension:
    ensure_writable(task.session.event)
    if not reason.strip():
        raise DomainError(_("Give the reason for the extension."))
    if minutes <= 0 or minutes > 240:
        raise DomainError(_("An extension is between 1 and 240 minutes."))
    with transaction.atomic():
        ext = TaskExtension.objects.create(
            task=task, work=work, minutes=minutes, reason=reason, granted_by=actor
        )
        audit_record(
            actor=actor,
            action="final.task_extend",
            obj=work,
            after={"task": task.pk, "minutes": minutes},
            reason=reason,
        )
    return ext


def task_submit(
    *, task: OnsiteTask, work: Work, user, text: str = "", link: str = "", file=None
) -> TaskSubmission:
    """Save a finalist's result for a released task, before its (possibly extended) deadline."""
    ensure_writable(task.session.event)
    require_on_work(work, user)
    if not task.session.participants.filter(work=work).exists():
        raise DomainError(_("This task is not for your work."), code="forbidden")
    deadline = task_deadline(task=task, work=work)
    if deadline is None:
        raise DomainError(_("The task has not been released yet."))
    if timezone.now() >= deadline:
        raise DomainError(_("Time is up: the task can no longer be submitted."), code="deadline")
    if not (text.strip() or link or file):
        raise DomainError(_("Submit a file, a link or a text."))
    if file is not None:
        upload_refuse_if_infected(
            file, name=file.name, actor=user, obj=work, detail={"task": task.pk}
        )
    with transaction.atomic():
        sub, _created = TaskSubmission.objects.select_for_update().get_or_create(
            task=task, work=work, defaults={"submitted_by": user, "submitted_at": timezone.now()}
        )
        sub.text, sub.link, sub.submitted_by, sub.submitted_at = text, link, user, timezone.now()
        if file is not None:
            sub.file.save(f"{uuid.uuid4().hex}", file, save=False)
            sub.file_name = getattr(file, "name", "")[:200]
        sub.save()
        audit_record(actor=user, action="final.task_submit", obj=work, after={"task": task.pk})
    return sub
