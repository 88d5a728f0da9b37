"""Writes of the offline final: keyword-only, audited, transactional.

Permission checks are the caller's, except that services taking ``user`` check
that the person is an author or advisor of the work.
"""

import datetime
import logging
import uuid as uuid_mod
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongchuang.accounts.enums import Role
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.files.malware import upload_refuse_if_infected
from gongchuang.editions.models import Edition
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work

from .awards import (
    confirmed_finalists,
    ensure_award_list_absent,
    ensure_award_list_final,
    ensure_finalist_listed,
)
from .conflicts import has_conflict
from .enums import SCORE_MAX, SCORE_MIN, Attendance, StarLevel
from .models import (
    Certificate,
    FinalEvent,
    FinalistAttendance,
    FinalResult,
    OnsiteTask,
    Score,
    Session,
    SessionJudge,
    SessionParticipant,
    SpecialAward,
    TaskExtension,
    TaskSubmission,
)
from .scoring import (  # noqa: F401 - sheet_total, combined_score, online_scores: public here too
    TWO,
    combined_score,
    dimensions,
    online_scores,
    result_rows,
    sheet_total,
)

log = logging.getLogger(__name__)
JUDGE_ROLES = {Role.EXPERT, Role.COMMITTEE}


# --- Event and programme ----------------------------------------------------------


def _ensure_writable(event: FinalEvent) -> None:
    """Every write to the final (programme, attendance, tasks, scores, results) checks this
    first: an archived edition's final is read-only (its certificates stay verifiable)."""
    ensure_edition_writable(event.edition)


def event_create(
    *,
    edition: Edition,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    venue: str,
    address: str = "",
    actor,
) -> FinalEvent:
    ensure_edition_writable(edition)
    if ends_on < starts_on:
        raise DomainError(_("The final cannot end before it starts."))
    with transaction.atomic():
        event = FinalEvent.objects.create(
            edition=edition,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            venue=venue,
            address=address,
        )
        audit_record(actor=actor, action="final.event_create", obj=event, after={"name": name})
    return event


EVENT_FIELDS = ("name", "starts_on", "ends_on", "venue", "address")


def event_update(*, event: FinalEvent, actor, **fields) -> FinalEvent:
    """Change the final's name, dates, venue or address (``EVENT_FIELDS``); audited."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _ensure_writable(event)
    with transaction.atomic():
        locked = FinalEvent.objects.select_for_update().get(pk=event.pk)
        changed = [name for name, value in fields.items() if getattr(locked, name) != value]
        before = {name: str(getattr(locked, name)) for name in changed}
        for name in changed:
            setattr(locked, name, fields[name])
        if locked.ends_on < locked.starts_on:
            raise DomainError(_("The final cannot end before it starts."))
        if changed:
            locked.save(update_fields=changed)
            audit_record(
                actor=actor,
                action="final.event_update",
                obj=locked,
                before=before,
                after={name: str(fields[name]) for name in changed},
            )
    return locked


def session_create(
    *,
    event: FinalEvent,
    kind: str,
    title: str,
    room: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    category=None,
    level: str = "",
    actor,
) -> Session:
    _ensure_writable(event)
    if ends_at <= starts_at:
        raise DomainError(_("A session must end after it starts."))
    with transaction.atomic():
        session = Session.objects.create(
            event=event,
            kind=kind,
            title=title,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            category=category,
            level=level,
        )
        audit_record(
            actor=actor,
            action="final.session_create",
            obj=session,
            after={"kind": kind, "room": room},
            edition_id=event.edition_id,
        )
    return session


def session_add_participant(*, session: Session, work: Work, actor) -> SessionParticipant:
    """Put a finalist work into a session (in running order); refuses conflicts with its judges."""
    _ensure_writable(session.event)
    if work.edition_id != session.event.edition_id or work.state != WorkState.FINALIST:
        raise DomainError(_("Only finalist works of this edition can take part in the final."))
    for link in session.judge_links.select_related("judge"):
        if has_conflict(link.judge, work):
            raise DomainError(
                _("Judge %(judge)s has a conflict of interest with this work.")
                % {"judge": link.judge.display_name}
            )
    with transaction.atomic():
        last = session.participants.order_by("-order").values_list("order", flat=True).first()
        participant, created = SessionParticipant.objects.get_or_create(
            session=session, work=work, defaults={"order": (last or 0) + 1}
        )
        FinalistAttendance.objects.get_or_create(event=session.event, work=work)
        if created:
            audit_record(
                actor=actor,
                action="final.participant_add",
                obj=session,
                after={"work": work.code},
                edition_id=session.event.edition_id,
            )
    return participant


def session_add_judge(*, session: Session, judge, actor) -> SessionJudge:
    """Make ``judge`` (an expert or committee member) a judge of a scored session.

    Refused when the judge has a conflict of interest with any work in the session.
    """
    _ensure_writable(session.event)
    if not (judge.roles & JUDGE_ROLES):
        raise DomainError(_("Only experts and committee members can judge the final."))
    if not session.is_scored:
        raise DomainError(_("This session is not scored."))
    for participant in session.participants.select_related("work"):
        if has_conflict(judge, participant.work):
            raise DomainError(
                _("%(judge)s has a conflict of interest with work %(code)s.")
                % {"judge": judge.display_name, "code": participant.work.code}
            )
    with transaction.atomic():
        link, created = SessionJudge.objects.get_or_create(session=session, judge=judge)
        if created:
            audit_record(
                actor=actor,
                action="final.judge_add",
                obj=session,
                after={"judge": judge.pk},
                edition_id=session.event.edition_id,
            )
    return link


# --- Attendance and check-in --------------------------------------------------------


def _require_on_work(work: Work, user) -> None:
    if not work.authorships.filter(user=user).exists():
        raise DomainError(
            _("Only the authors and advisors of a work can do this."), code="forbidden"
        )


def attendance_answer(*, event: FinalEvent, work: Work, user, attend: bool) -> FinalistAttendance:
    """A finalist's author or advisor confirms attendance, or withdraws the work from the final."""
    _ensure_writable(event)
    _require_on_work(work, user)
    if work.state != WorkState.FINALIST:
        raise DomainError(_("Only finalist works can answer the invitation."))
    with transaction.atomic():
        row, _created = FinalistAttendance.objects.select_for_update().get_or_create(
            event=event, work=work
        )
        if row.checked_in_at and not attend:
            raise DomainError(_("You have already checked in at the venue."))
        before = row.status
        row.status = Attendance.CONFIRMED if attend else Attendance.WITHDRAWN
        row.answered_at = timezone.now()
        row.answered_by = user
        row.save(update_fields=["status", "answered_at", "answered_by"])
        audit_record(
            actor=user,
            action="final.attendance",
            obj=work,
            before={"attendance": before},
            after={"attendance": row.status},
        )
    return row


def checkin_by_code(*, event: FinalEvent, code: str, actor) -> FinalistAttendance:
    _ensure_writable(event)
    code = (code or "").strip().upper()
    with transaction.atomic():
        row = (
            FinalistAttendance.objects.select_for_update()
            .select_related("work")
            .filter(event=event, checkin_code=code)
            .first()
        )
        if row is None:
            raise DomainError(_("No finalist has this check-in code."), code="not_found")
        if row.status == Attendance.WITHDRAWN:
            raise DomainError(_("This work has withdrawn from the final."))
        ensure_finalist_listed(row.work)
        if row.checked_in_at is None:
            row.checked_in_at = timezone.now()
            row.checked_in_by = actor
            if row.status == Attendance.PENDING:
                row.status = Attendance.CONFIRMED
            row.save(update_fields=["checked_in_at", "checked_in_by", "status"])
            audit_record(actor=actor, action="final.checkin", obj=row.work)
    return row


# --- On-site task challenge ---------------------------------------------------------


def task_release(*, task: OnsiteTask, actor) -> OnsiteTask:
    """Show the task to the session's finalists; their time starts now (server clock)."""
    _ensure_writable(task.session.event)
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


def task_deadline(*, task: OnsiteTask, work: Work) -> datetime.datetime | None:
    """Server-side deadline of ``work`` for ``task``: release + time limit + its extensions."""
    if task.base_deadline is None:
        return None
    extra = sum(e.minutes for e in task.extensions.all() if e.work_id == work.pk)
    return task.base_deadline + datetime.timedelta(minutes=extra)


def task_create(
    *, session: Session, title: str, statement: str, time_limit_minutes: int, attachment=None, actor
) -> OnsiteTask:
    """Add a task to the session, hidden from the finalists until it is released; audited."""
    _ensure_writable(session.event)
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
    _ensure_writable(task.session.event)
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
    _ensure_writable(task.session.event)
    _require_on_work(work, user)
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
            sub.file.save(f"{uuid_mod.uuid4().hex}", file, save=False)
            sub.file_name = getattr(file, "name", "")[:200]
        sub.save()
        audit_record(actor=user, action="final.task_submit", obj=work, after={"task": task.pk})
    return sub


# --- Scores (idempotent sync from judges' phones) ------------------------------------


def score_save(
    *,
    judge,
    session: Session,
    work: Work,
    kind: str,
    values: dict,
    client_uuid: uuid_mod.UUID | str,
    client_rev: int = 0,
) -> tuple[Score, str]:
    """Create or update the judge's sheet; returns (score, "created" | "updated" | "unchanged").

    Idempotent: the same ``client_uuid`` always lands on the same row; a replay with a
    ``client_rev`` not newer than the stored one changes nothing. Refused when the judge
    is not on the session, the work is not in it, or the results are locked.
    """
    try:
        client_uuid = uuid_mod.UUID(str(client_uuid))
    except ValueError as exc:
        raise DomainError(_("Invalid score data."), code="invalid") from exc
    _ensure_writable(session.event)
    if session.event.is_locked:
        raise DomainError(_("The results are locked; scores can no longer change."), code="locked")
    if not session.judge_links.filter(judge=judge).exists():
        raise DomainError(_("You are not a judge of this session."), code="forbidden")
    if kind not in session.score_kinds:
        raise DomainError(_("This session does not score that."), code="invalid")
    if not session.participants.filter(work=work).exists():
        raise DomainError(_("This work is not in the session."), code="invalid")
    ensure_finalist_listed(work)
    dims = dimensions(work.category_id)
    allowed = {str(d.pk) for d in dims}
    clean: dict[str, int] = {}
    for key, value in (values or {}).items():
        if str(key) not in allowed:
            raise DomainError(_("Invalid score data."), code="invalid")
        if value is None or value == "":
            continue
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise DomainError(_("Invalid score data."), code="invalid") from exc
        if not SCORE_MIN <= number <= SCORE_MAX:
            raise DomainError(
                _("Each score is between %(min)s and %(max)s.")
                % {"min": SCORE_MIN, "max": SCORE_MAX}
            )
        clean[str(key)] = number
    total, complete = sheet_total(clean, dims)
    try:
        with transaction.atomic():
            return _score_upsert(
                judge, session, work, kind, clean, total, complete, client_uuid, int(client_rev)
            )
    except IntegrityError:
        # Two deliveries of a new sheet raced: the loser updates the winner's row.
        with transaction.atomic():
            return _score_upsert(
                judge, session, work, kind, clean, total, complete, client_uuid, int(client_rev)
            )


def _score_upsert(judge, session, work, kind, values, total, complete, client_uuid, rev):
    score = (
        Score.objects.select_for_update().filter(client_uuid=client_uuid).first()
        or Score.objects.select_for_update()
        .filter(session=session, work=work, judge=judge, kind=kind)
        .first()
    )
    if score is not None and (
        score.judge_id != judge.pk or score.work_id != work.pk or score.kind != kind
    ):
        raise DomainError(_("Invalid score data."), code="invalid")
    if score is None:
        score = Score.objects.create(
            session=session,
            work=work,
            judge=judge,
            kind=kind,
            values=values,
            total=total,
            is_complete=complete,
            client_uuid=client_uuid,
            client_rev=rev,
        )
        audit_record(
            actor=judge,
            action="final.score_create",
            obj=score,
            after={"values": values},
            edition_id=session.event.edition_id,
        )
        return score, "created"
    if rev <= score.client_rev or score.values == values:
        return score, "unchanged"
    before = score.values
    score.values, score.total, score.is_complete, score.client_rev = values, total, complete, rev
    score.save(update_fields=["values", "total", "is_complete", "client_rev", "updated_at"])
    audit_record(
        actor=judge,
        action="final.score_update",
        obj=score,
        before={"values": before},
        after={"values": values},
        edition_id=session.event.edition_id,
    )
    return score, "updated"


def scores_sync(*, judge, items: list[dict]) -> list[dict]:
    """Apply a batch of queued sheets from a judge's device; one result per item, in order."""
    results = []
    sessions: dict[int, Session | None] = {}
    for item in items[:200]:
        uid = str(item.get("client_uuid", ""))
        try:
            session_id = int(item["session"])
            if session_id not in sessions:
                sessions[session_id] = (
                    Session.objects.select_related("event").filter(pk=session_id).first()
                )
            session = sessions[session_id]
            work = Work.objects.filter(pk=int(item["work"])).first()
            if session is None or work is None:
                raise DomainError(_("Invalid score data."), code="invalid")
            score, status = score_save(
                judge=judge,
                session=session,
                work=work,
                kind=str(item.get("kind")),
                values=item.get("values") or {},
                client_uuid=uid,
                client_rev=int(item.get("rev") or 0),
            )
            results.append(
                {
                    "client_uuid": uid,
                    "status": status,
                    "total": None if score.total is None else str(score.total),
                }
            )
        except (KeyError, TypeError, ValueError):
            results.append(
                {
                    "client_uuid": uid,
                    "status": "error",
                    "code": "invalid",
                    "message": _("Invalid score data."),
                }
            )
        except DomainError as exc:
            results.append(
                {
                    "client_uuid": uid,
                    "status": "error",
                    "code": exc.code,
                    "message": str(exc.message),
                }
            )
    return results


# --- Results ----------------------------------------------------------------------


def results_compute(*, event: FinalEvent, actor) -> list[FinalResult]:
    """(Re)compute every finalist's scores, rank and star level. Refused once locked."""
    _ensure_writable(event)
    if event.is_locked:
        raise DomainError(_("The results are locked; unlock them first."), code="locked")
    edition = event.edition
    withdrawn = set(
        event.attendances.filter(status=Attendance.WITHDRAWN).values_list("work_id", flat=True)
    )
    works = list(confirmed_finalists(edition).exclude(pk__in=withdrawn).select_related("category"))
    rows = result_rows(event, works)

    now = timezone.now()
    with transaction.atomic():
        FinalResult.objects.filter(event=event).exclude(work_id__in=rows).delete()
        results = []
        for work_id, row in rows.items():
            result, _created = FinalResult.objects.update_or_create(
                event=event,
                work_id=work_id,
                defaults={**row, "computed_at": now},
            )
            results.append(result)
        audit_record(
            actor=actor,
            action="final.results_compute",
            obj=event,
            after={"results": len(results)},
            edition_id=edition.pk,
        )
    return results


def results_lock(*, event: FinalEvent, actor) -> FinalEvent:
    _ensure_writable(event)
    with transaction.atomic():
        locked = FinalEvent.objects.select_for_update().get(pk=event.pk)
        if locked.is_locked:
            return locked
        if not locked.results.exists():
            raise DomainError(_("Compute the results before locking them."))
        locked.results_locked_at = timezone.now()
        locked.save(update_fields=["results_locked_at"])
        audit_record(actor=actor, action="final.results_lock", obj=locked)
    return locked


def results_unlock(*, event: FinalEvent, actor, reason: str) -> FinalEvent:
    _ensure_writable(event)
    if not reason.strip():
        raise DomainError(_("Give the reason for unlocking the results."))
    with transaction.atomic():
        locked = FinalEvent.objects.select_for_update().get(pk=event.pk)
        if locked.is_published:
            raise DomainError(_("Published results cannot be unlocked."))
        if not locked.is_locked:
            return locked
        ensure_award_list_absent(locked.edition)
        before = locked.results_locked_at.isoformat()
        locked.results_locked_at = None
        locked.save(update_fields=["results_locked_at"])
        audit_record(
            actor=actor,
            action="final.results_unlock",
            obj=locked,
            before={"locked_at": before},
            after={"locked_at": None},
            reason=reason,
        )
    return locked


def special_award_create(
    *, event: FinalEvent, name: str, work: Work, citation: str = "", actor
) -> SpecialAward:
    _ensure_writable(event)
    if event.is_published:
        raise DomainError(_("The results are already published."))
    ensure_award_list_absent(event.edition)
    if work.edition_id != event.edition_id or work.state != WorkState.FINALIST:
        raise DomainError(_("Special awards go to finalist works of this edition."))
    with transaction.atomic():
        award, created = SpecialAward.objects.get_or_create(
            event=event,
            name=name.strip(),
            work=work,
            defaults={"citation": citation, "created_by": actor},
        )
        if created:
            audit_record(actor=actor, action="final.special_award", obj=work, after={"award": name})
    return award


def results_publish(*, event: FinalEvent, actor) -> FinalEvent:
    """Publish locked results once the award list is confirmed final (公示结束): finalists
    become awarded (a star level or a special award) or participated; certificates are
    issued to authors and advisors; people are notified."""
    from gongchuang.notifications.services import notify_kind

    _ensure_writable(event)
    with transaction.atomic():
        locked = FinalEvent.objects.select_for_update().get(pk=event.pk)
        if locked.is_published:
            raise DomainError(_("The results are already published."))
        if not locked.is_locked:
            raise DomainError(_("Lock the results before publishing them."))
        ensure_award_list_final(locked.edition)
        results = {r.work_id: r for r in locked.results.all()}
        specials = defaultdict(list)
        for award in locked.special_awards.all():
            specials[award.work_id].append(award)
        finalists = (
            confirmed_finalists(locked.edition)
            .select_related("edition")
            .prefetch_related("authorships__user")
        )
        today = timezone.localdate()
        for work in finalists:
            result = results.get(work.pk)
            star = result.star_level if result else ""
            awarded = bool(star) or bool(specials.get(work.pk))
            target = WorkState.AWARDED if awarded else WorkState.PARTICIPATED
            transition_work(work, target, actor=actor, reason=_("Final results published."))
            with translation.override("zh-hans"):
                awards = [(StarLevel(star).label, star, None)] if star else []
                awards += [(a.name, "", a) for a in specials.get(work.pk, [])]
                for label, level, special in awards:
                    for authorship in work.authorships.all():
                        Certificate.objects.get_or_create(
                            event=locked,
                            work=work,
                            user=authorship.user,
                            award=str(label),
                            defaults={
                                "role": authorship.role,
                                "star_level": level,
                                "special_award": special,
                                "issued_on": today,
                            },
                        )
            people = [a.user for a in work.authorships.all()]
            with translation.override("zh-hans"):
                result_text = "、".join(str(label) for label, _level, _special in awards) or str(
                    WorkState.PARTICIPATED.label
                )
            notify_kind(
                recipients=people,
                kind="results.published",
                context={
                    "edition": locked.edition.name,
                    "title": work.title,
                    "result": result_text,
                },
                url="/final/my/",
            )
        locked.results_published_at = timezone.now()
        locked.save(update_fields=["results_published_at"])
        audit_record(actor=actor, action="final.results_publish", obj=locked)
    return locked


def certificate_batch_start(*, event: FinalEvent, unit, actor):
    """Queue the generation of the certificates of one unit (or all) into a ZIP."""
    from .models import CertificateBatch
    from .tasks import generate_certificates

    if not event.is_published:
        raise DomainError(_("Certificates are available once the results are published."))
    if unit is None and not actor.is_committee:
        raise DomainError(_("Choose your unit."), code="forbidden")
    if (
        unit is not None
        and not actor.is_committee
        and unit.pk not in actor.unit_ids_for(Role.UNIT_ORGANIZER)
    ):
        raise DomainError(_("Choose your unit."), code="forbidden")
    with transaction.atomic():
        batch = CertificateBatch.objects.create(event=event, unit=unit, requested_by=actor)
        audit_record(
            actor=actor,
            action="final.certificate_batch",
            obj=event,
            after={"unit": unit.code if unit else "all"},
        )
        transaction.on_commit(lambda: generate_certificates.enqueue(batch.pk))
    return batch
