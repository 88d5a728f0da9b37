"""Judges' score sheets, saved idempotently from their phones (offline queue, replays)."""

import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.models import RubricDimension
from gongchuang.editions.scale import score_scale
from gongchuang.submissions.models import Work

from ..awards import ensure_finalist_listed
from ..models import Score, Session
from ..scoring import dimensions, sheet_total
from .base import ensure_writable


def score_save(
    *,
    judge,
    session: Session,
    work: Work,
    kind: str,
    values: dict,
    client_uuid: uuid.UUID | str,
    client_rev: int = 0,
) -> tuple[Score, str]:
    """Create or update the judge's sheet; returns (score, "created" | "updated" | "unchanged").

    Idempotent: the same ``client_uuid`` always lands on the same row; a replay with a
    ``client_rev`` not newer than the stored one changes nothing. Refused when the judge
    is not on the session, the work is not in it, or the results are locked.
    """
    try:
        client_uuid = uuid.UUID(str(client_uuid))
    except ValueError as exc:
        raise DomainError(_("Invalid score data."), code="invalid") from exc
    ensure_writable(session.event)
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
    clean = _clean_values(values, dims, scale=score_scale(session.event.edition))
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


def _clean_values(
    values: dict | None, dims: list[RubricDimension], *, scale: tuple[int, int]
) -> dict[str, int]:
    """The sheet's values keyed by dimension id, as integers on the score scale; blanks are
    left out. Refused (``invalid``) for an unknown dimension or a value that is no number."""
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
        if not scale[0] <= number <= scale[1]:
            raise DomainError(
                _("Each score is between %(min)s and %(max)s.") % {"min": scale[0], "max": scale[1]}
            )
        clean[str(key)] = number
    return clean


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
