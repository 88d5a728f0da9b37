"""Publishing lists, filing and handling objections, confirming lists final.

Every write is audited in its transaction; notifications go out after commit.
Objection states change only through ``apply_transition`` (OBJECTION_TRANSITIONS).
"""

import datetime
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongchuang.accounts.access import require
from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.files.malware import upload_refuse_if_infected
from gongchuang.common.files.names import clean_filename
from gongchuang.common.files.validate import validate_upload
from gongchuang.common.state import apply_transition
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.notifications.services import notify_kind
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work

from .enums import (
    OBJECTION_TRANSITIONS,
    ListKind,
    ObjectionState,
    StatementFrom,
)
from .lists import (  # noqa: F401 - the list services are part of this module's interface
    format_end,
    publicity_confirm_final,
    publicity_publish,
    publicity_reopen,
    window_end_for,
)
from .models import Objection, ObjectionEvidence, ObjectionNote, PublicityEntry, PublicityList

MIN_REASON_CHARS = 20
MAX_EVIDENCE_FILES = 5
EVIDENCE_KINDS = frozenset({"pdf", "image", "docx"})
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
# What an upheld objection may make of the work, per list (normal work transitions).
UPHELD_STATES = {
    ListKind.FINALIST: (WorkState.NOT_SELECTED, WorkState.DISQUALIFIED),
    ListKind.AWARD: (WorkState.PARTICIPATED, WorkState.DISQUALIFIED),
}


def _ensure_writable(publicity: PublicityList) -> None:
    """Every write to a list or its objections checks this first: an archived edition's
    lists and objections stay readable but no longer change."""
    ensure_edition_writable(publicity.edition)


def _objection_list(objection: Objection) -> PublicityList:
    return PublicityList.objects.select_related("edition").get(entries__objections=objection)


def objection_file(
    *,
    entry: PublicityEntry,
    objector: User,
    reason: str,
    contact: str,
    files: Iterable[UploadedFile] = (),
    now=None,
) -> Objection:
    """File an objection against a listed work (DomainError with a Chinese message if refused)."""
    now = now or timezone.now()
    _check_objector(objector)
    publicity = entry.publicity_list
    _check_list_takes_objections(entry, publicity, now)
    reason = reason.strip()
    if len(reason) < MIN_REASON_CHARS:
        raise DomainError(
            _("Please explain the objection in at least %(n)d characters.")
            % {"n": MIN_REASON_CHARS},
            code="short_reason",
        )
    files = list(files)
    sniffed = _checked_evidence(files, objector=objector, entry=entry)
    try:
        with transaction.atomic():
            # Serialise with confirming the list final: no objection slips in after the count.
            if PublicityList.objects.select_for_update().get(pk=publicity.pk).is_final:
                raise DomainError(_("This list is already final."), code="already_final")
            objection = Objection.objects.create(
                entry=entry, objector=objector, reason=reason, contact=contact.strip()
            )
            _store_evidence(objection, files, sniffed)
            audit_record(
                actor=objector,
                action="objection.file",
                obj=objection,
                edition_id=publicity.edition_id,
                after={"work": entry.work_id, "files": len(files)},
            )
    except IntegrityError as exc:
        raise DomainError(
            _("You have already filed an objection against this work."), code="duplicate"
        ) from exc
    return objection


def _check_objector(objector: User) -> None:
    """Objections are filed by a signed-in person under their real name."""
    if not objector.is_authenticated:
        raise DomainError(_("Please log in to file an objection."), code="anonymous")
    if not objector.real_name.strip():
        raise DomainError(
            _("Objections are filed under your real name. Please add it to your account first."),
            code="no_real_name",
        )


def _check_list_takes_objections(entry: PublicityEntry, publicity: PublicityList, now) -> None:
    """The list is writable, not final and still under publicity, and the work still on it."""
    _ensure_writable(publicity)
    if entry.removed_at:
        raise DomainError(_("This work is no longer on the list."), code="removed")
    if publicity.is_final:
        raise DomainError(_("This list is already final."), code="already_final")
    if not publicity.is_open(now):
        raise DomainError(
            _(
                "The publicity period of this list ended at %(end)s; "
                "objections are no longer accepted."
            )
            % {"end": format_end(publicity)},
            code="late",
        )


def _checked_evidence(files: list[UploadedFile], *, objector: User, entry: PublicityEntry):
    """Each evidence file's sniffed type, after the count, type, size and virus checks.

    Runs before the transaction: a refused upload's audit event must stay.
    """
    if len(files) > MAX_EVIDENCE_FILES:
        raise DomainError(
            _("At most %(n)d evidence files.") % {"n": MAX_EVIDENCE_FILES}, code="too_many_files"
        )
    sniffed = [
        validate_upload(f, name=f.name, allowed_kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
        for f in files
    ]
    for upload in files:
        upload_refuse_if_infected(
            upload, name=upload.name, actor=objector, obj=entry, detail={"evidence": True}
        )
    return sniffed


def _store_evidence(objection: Objection, files: list[UploadedFile], sniffed) -> None:
    for upload, info in zip(files, sniffed, strict=True):
        evidence = ObjectionEvidence(
            objection=objection,
            original_name=clean_filename(upload.name)[:200],
            size=upload.size,
            mime=info.mime,
        )
        evidence.file.save(f"evidence.{info.extension}", upload, save=False)
        evidence.save()


def _move(objection: Objection, to: str, *, actor, reason: str = "", extra=None) -> Objection:
    return apply_transition(
        objection,
        table=OBJECTION_TRANSITIONS,
        target=to,
        actor=actor,
        reason=reason,
        action="objection.transition",
        extra_updates=extra,
    )


@transaction.atomic
def objection_investigate(*, objection: Objection, actor) -> Objection:
    _ensure_writable(_objection_list(objection))
    return _move(objection, ObjectionState.INVESTIGATING, actor=actor)


@transaction.atomic
def objection_add_note(*, objection: Objection, actor, text: str) -> ObjectionNote:
    _ensure_writable(_objection_list(objection))
    note = ObjectionNote.objects.create(objection=objection, author=actor, text=text.strip())
    audit_record(actor=actor, action="objection.note", obj=objection, after={"note": note.text})
    return note


def _work_context(work: Work) -> dict:
    return {"title": work.title, "code": work.code}


def _authors_and_advisors(work: Work) -> list[User]:
    return [a.user for a in work.authorships.select_related("user")]


def _unit_organizers(work: Work) -> list[User]:
    return list(
        User.objects.filter(
            memberships__role=Role.UNIT_ORGANIZER, memberships__unit_id=work.unit_id
        ).distinct()
    )


@transaction.atomic
def objection_request_statement(
    *, objection: Objection, actor, source: str, deadline: datetime.datetime
) -> Objection:
    """Ask the work's authors or unit for a statement by ``deadline`` (they are notified;
    they are not told who objected)."""
    _ensure_writable(_objection_list(objection))
    if not objection.is_pending:
        raise DomainError(_("This objection has already been decided."), code="decided")
    if deadline <= timezone.now():
        raise DomainError(_("The deadline must be in the future."), code="past_deadline")
    if objection.state == ObjectionState.RECEIVED:
        objection = _move(objection, ObjectionState.INVESTIGATING, actor=actor)
    objection.statement_from = StatementFrom(source)
    objection.statement_requested_at = timezone.now()
    objection.statement_deadline = deadline
    objection.statement = ""
    objection.statement_at = None
    objection.save(
        update_fields=[
            "statement_from",
            "statement_requested_at",
            "statement_deadline",
            "statement",
            "statement_at",
        ]
    )
    audit_record(
        actor=actor,
        action="objection.request_statement",
        obj=objection,
        after={"from": source, "deadline": deadline.isoformat()},
    )
    work = objection.entry.work
    people = (
        _authors_and_advisors(work) if source == StatementFrom.AUTHORS else _unit_organizers(work)
    )
    url = f"/publicity/statements/{objection.pk}/"
    context = {
        **_work_context(work),
        "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
    }
    transaction.on_commit(
        lambda: notify_kind(
            recipients=people, kind="objection.statement_requested", context=context, url=url
        )
    )
    return objection


@transaction.atomic
def objection_give_statement(*, objection: Objection, actor, text: str) -> Objection:
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    _ensure_writable(_objection_list(locked))
    if not locked.awaits_statement or not locked.is_pending:
        raise DomainError(_("No statement is requested for this objection."), code="no_request")
    require(actor, "publicity.give_statement", locked, message=_("You cannot answer this request."))
    if locked.statement_deadline and timezone.now() > locked.statement_deadline:
        raise DomainError(_("The deadline for the statement has passed."), code="late")
    locked.statement, locked.statement_at, locked.statement_by = text.strip(), timezone.now(), actor
    locked.save(update_fields=["statement", "statement_at", "statement_by"])
    audit_record(
        actor=actor, action="objection.statement", obj=locked, after={"text": locked.statement}
    )
    return locked


@transaction.atomic
def objection_decide(
    *,
    objection: Objection,
    actor,
    upheld: bool,
    reason: str,
    work_state: str = WorkState.NOT_SELECTED,
) -> Objection:
    """Decide an objection. Upheld: the work moves through ``transition_work`` with the
    objection as reason and leaves the list (on an award list it loses its proposed award:
    it took part without an award, or is disqualified); the committee then decides whether
    the list goes back into publicity (``publicity_reopen``). The objector and the authors
    are notified."""
    publicity = _objection_list(objection)
    _ensure_writable(publicity)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Please give the reason of the decision."), code="no_reason")
    to = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
    objection = _move(
        objection,
        to,
        actor=actor,
        reason=reason,
        extra={"decision_reason": reason, "decided_at": timezone.now(), "decided_by": actor},
    )
    entry = objection.entry
    work = entry.work
    if upheld:
        if work_state not in UPHELD_STATES[publicity.kind]:
            raise DomainError(_("Choose what happens to the work."), code="bad_work_state")
        transition_work(
            work,
            work_state,
            actor=actor,
            reason=_("Objection upheld: %(reason)s") % {"reason": reason},
        )
        entry.removed_at, entry.removed_reason = timezone.now(), reason
        entry.save(update_fields=["removed_at", "removed_reason"])
    outcome = (
        pgettext("objection outcome", "upheld")
        if upheld
        else pgettext("objection outcome", "dismissed")
    )
    context = {**_work_context(work), "outcome": outcome, "reason": reason}
    objector = objection.objector
    authors = _authors_and_advisors(work)
    transaction.on_commit(
        lambda: notify_kind(
            recipients=[objector],
            kind="objection.outcome",
            context=context,
            url="/publicity/objections/mine/",
        )
    )
    transaction.on_commit(
        lambda: notify_kind(recipients=authors, kind="objection.decided", context=context)
    )
    return objection
