"""Writes of the portal: notices, their attachments, guide documents, public works."""

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.access import require
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.files.malware import upload_refuse_if_infected
from gongchuang.common.files.names import clean_filename
from gongchuang.common.files.validate import validate_upload
from gongchuang.editions.models import Edition
from gongchuang.submissions.models import Work

from .cache import invalidate
from .enums import ATTACHMENT_KINDS, ATTACHMENT_MAX_BYTES, SHOWCASE_STATES, NoticeStatus
from .markup import render_markdown
from .models import GuideDocument, Notice, NoticeAttachment


def _snapshot(notice: Notice) -> dict:
    return {
        "title": notice.title,
        "status": notice.status,
        "is_pinned": notice.is_pinned,
        "unit": notice.unit_id,
    }


@transaction.atomic
def notice_save(
    *,
    actor,
    edition: Edition,
    title: str,
    body: str,
    summary: str = "",
    unit=None,
    notice: Notice | None = None,
    publish_at=None,
) -> Notice:
    """Create a notice (as a draft) or change its text; keeps ``body_html`` sanitised.

    Unit organizers write only for their own unit; the committee for the city
    (``unit`` None) or any unit.
    """
    require(
        actor,
        "portal.write_notice_for",
        unit,
        message=_("You may write notices only for your own unit."),
    )
    before = None
    if notice is None:
        notice = Notice(edition=edition, created_by=actor)
        action = "notice.create"
    else:
        before = _snapshot(notice)
        action = "notice.update"
    notice.title = title.strip()
    notice.summary = summary.strip()
    notice.body = body
    notice.body_html = render_markdown(body)
    notice.unit = unit
    if publish_at is not None:
        # A chosen publication time; in the future it schedules the notice.
        notice.published_at = publish_at
    notice.save()
    audit_record(actor=actor, action=action, obj=notice, before=before, after=_snapshot(notice))
    invalidate()
    return notice


def _notice_change(*, notice: Notice, actor, action: str, **changes) -> Notice:
    require(actor, "portal.change_notice", notice, message=_("You may not change this notice."))
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        before = _snapshot(locked)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action=action, obj=locked, before=before, after=_snapshot(locked))
        invalidate()
    return locked


def notice_publish(*, notice: Notice, actor) -> Notice:
    """Publish now, or at the time set on the notice if one was chosen (scheduled).

    The publication time is kept when a notice is published again.
    """
    return _notice_change(
        notice=notice,
        actor=actor,
        action="notice.publish",
        status=NoticeStatus.PUBLISHED,
        published_at=notice.published_at or timezone.now(),
    )


def notice_unpublish(*, notice: Notice, actor) -> Notice:
    return _notice_change(
        notice=notice,
        actor=actor,
        action="notice.unpublish",
        status=NoticeStatus.UNPUBLISHED,
        is_pinned=False,
    )


def notice_pin(*, notice: Notice, actor, pinned: bool) -> Notice:
    if pinned and not notice.is_published:
        raise DomainError(_("Only a published notice can be pinned."), code="not_published")
    return _notice_change(
        notice=notice,
        actor=actor,
        action="notice.pin" if pinned else "notice.unpin",
        is_pinned=pinned,
    )


def _stored_upload(fileobj, *, name: str, actor, obj, allowed_kinds=ATTACHMENT_KINDS):
    """Check a file by its content and the virus scan; call it before the transaction that
    stores the file (a refusal's audit event, on ``obj``, must stay)."""
    sniffed = validate_upload(
        fileobj, name=name, allowed_kinds=allowed_kinds, max_bytes=ATTACHMENT_MAX_BYTES
    )
    upload_refuse_if_infected(fileobj, name=name, actor=actor, obj=obj)
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    original = clean_filename(name) or f"file.{sniffed.extension}"
    stem = original.rsplit(".", 1)[0] if "." in original else original
    return sniffed, size, f"{stem}.{sniffed.extension}"


def notice_attachment_add(*, notice: Notice, actor, fileobj, name: str) -> NoticeAttachment:
    """Attach a file, checked by its content (PDF, Office, ZIP or image ≤ 50 MB) and by the
    virus scan."""
    require(actor, "portal.change_notice", notice, message=_("You may not change this notice."))
    sniffed, size, original = _stored_upload(fileobj, name=name, actor=actor, obj=notice)
    with transaction.atomic():
        attachment = NoticeAttachment(
            notice=notice, original_name=original, size=size, mime=sniffed.mime, kind=sniffed.kind
        )
        attachment.file.save(original, File(fileobj), save=False)
        attachment.save()
        audit_record(
            actor=actor, action="notice.attachment_add", obj=notice, after={"file": original}
        )
    return attachment


@transaction.atomic
def notice_attachment_remove(*, attachment: NoticeAttachment, actor) -> None:
    notice = attachment.notice
    require(actor, "portal.change_notice", notice, message=_("You may not change this notice."))
    audit_record(
        actor=actor,
        action="notice.attachment_remove",
        obj=notice,
        before={"file": attachment.original_name},
    )
    attachment.file.delete(save=False)
    attachment.delete()


def guide_document_add(*, edition: Edition, actor, title: str, fileobj, name: str):
    """A guide document, checked by its content and the virus scan."""
    require(
        actor, "portal.manage_guide", message=_("Only the committee may upload guide documents.")
    )
    sniffed, size, original = _stored_upload(
        fileobj, name=name, actor=actor, obj=edition,
        allowed_kinds={"pdf", "docx", "pptx", "xlsx", "zip"},
    )  # fmt: skip
    with transaction.atomic():
        document = GuideDocument(
            edition=edition,
            title=title.strip(),
            original_name=original,
            size=size,
            mime=sniffed.mime,
            kind=sniffed.kind,
            uploaded_by=actor,
        )
        document.file.save(original, File(fileobj), save=False)
        document.save()
        audit_record(
            actor=actor, action="guide.document_add", obj=document, after={"file": original}
        )
    return document


@transaction.atomic
def guide_document_remove(*, document: GuideDocument, actor) -> None:
    require(
        actor, "portal.manage_guide", message=_("Only the committee may remove guide documents.")
    )
    audit_record(actor=actor, action="guide.document_remove", obj=document)
    document.file.delete(save=False)
    document.delete()


@transaction.atomic
def work_set_public(*, work: Work, actor, public: bool) -> Work:
    """Show a work in the public showcase, or hide it. Needs the authors' consent."""
    require(actor, "portal.manage_showcase", message=_("Only the committee may publish works."))
    locked = Work.objects.select_for_update().get(pk=work.pk)
    if public and locked.state not in SHOWCASE_STATES:
        raise DomainError(
            _(
                "Only works that passed the city's qualification check can be shown "
                "(this work is: %(state)s)."
            )
            % {"state": locked.get_state_display()},
            code="wrong_state",
        )
    if public and not locked.showcase_consent:
        raise DomainError(
            _("The authors have not agreed to show this work publicly."), code="no_consent"
        )
    before = {"is_public": locked.is_public}
    locked.is_public = public
    locked.save(update_fields=["is_public", "updated_at"])
    audit_record(
        actor=actor,
        action="work.set_public",
        obj=locked,
        before=before,
        after={"is_public": public},
    )
    invalidate()
    return locked
