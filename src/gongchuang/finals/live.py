"""Reads of the final day: the committee's live board and the projector's state.

The board lists, per scored session and per judge, the score sheets still missing (a sheet
is missing until it is complete). The projector state holds only what the public programme
and the published results show: work codes, titles and units, never a person's name.
"""

import datetime
import hmac

from django.utils import timezone

from gongchuang.submissions.enums import WorkState

from .models import FinalEvent, FinalResult, OnsiteTask, Score, Session, SessionParticipant

# A judge is reminded at most once in this interval per session (the board says when next).
REMIND_INTERVAL = datetime.timedelta(minutes=5)

STAR_REVEAL_ORDER = {"three": 0, "four": 1, "five": 2}


def missing_sheets(session: Session) -> list[dict]:
    """Per judge of ``session`` (by name): the sheets not yet complete, in running order.

    Each row: ``link`` (the SessionJudge), ``judge``, ``missing`` (list of
    ``{"participant", "kind", "kind_label"}``), ``done`` and ``total`` counts.
    """
    participants = list(session.participants.select_related("work").order_by("order", "pk"))
    links = list(session.judge_links.select_related("judge").order_by("judge__real_name", "pk"))
    complete = set(
        Score.objects.filter(session=session, is_complete=True).values_list(
            "judge_id", "work_id", "kind"
        )
    )
    labels = dict(Score._meta.get_field("kind").choices)
    rows = []
    for link in links:
        missing = [
            {"participant": p, "kind": kind, "kind_label": labels[kind]}
            for p in participants
            for kind in session.score_kinds
            if (link.judge_id, p.work_id, kind) not in complete
        ]
        total = len(participants) * len(session.score_kinds)
        rows.append(
            {
                "link": link,
                "judge": link.judge,
                "missing": missing,
                "done": total - len(missing),
                "total": total,
            }
        )
    return rows


def board(event: FinalEvent, *, now: datetime.datetime | None = None) -> list[dict]:
    """The live board: every scored session with its participants, current presenter and
    missing sheets per judge; ``remind_after`` is when a judge may be reminded again."""
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(event=event)
        .select_related("category", "current_participant__work")
        .order_by("starts_at", "room")
    )
    out = []
    for session in sessions:
        if not session.is_scored:
            continue
        judges = missing_sheets(session)
        for row in judges:
            again = row["link"].reminded_at and row["link"].reminded_at + REMIND_INTERVAL
            row["remind_after"] = again if again and again > now else None
        out.append(
            {
                "session": session,
                "participants": list(
                    session.participants.select_related("work").order_by("order", "pk")
                ),
                "judges": judges,
                "missing": sum(len(r["missing"]) for r in judges),
            }
        )
    return out


def event_for_screen_token(token: str) -> FinalEvent | None:
    """The event whose projector secret is ``token`` (compared in constant time), or None."""
    if not token:
        return None
    event = FinalEvent.objects.filter(screen_token=token).select_related("edition").first()
    if event is None or not hmac.compare_digest(event.screen_token or "", token):
        return None
    return event


def session_task(session: Session) -> OnsiteTask | None:
    """The session's on-site task shown on the projector: the latest released one, else the
    first not yet released (shown as not started)."""
    released = session.tasks.filter(released_at__isnull=False).order_by("-released_at").first()
    return released or session.tasks.order_by("pk").first()


def screen_state(session: Session, *, now: datetime.datetime | None = None) -> dict:
    """What the projector shows for ``session`` now: running order, current presenter, the
    task's server deadline and the server's time, and after publication the awards."""
    now = now or timezone.now()
    event = session.event
    participants = list(
        SessionParticipant.objects.filter(session=session)
        .select_related("work__unit")
        .order_by("order", "pk")
    )
    task = session_task(session)
    deadline = task.base_deadline if task is not None else None
    return {
        "event": event,
        "session": session,
        "participants": participants,
        "current": next((p for p in participants if p.pk == session.current_participant_id), None),
        "task": task,
        "deadline": deadline,
        "now": now,
        "deadline_ms": int(deadline.timestamp() * 1000) if deadline else None,
        "now_ms": int(now.timestamp() * 1000),
        "task_over": deadline is not None and deadline <= now,
        "remaining": format_remaining(deadline - now) if deadline and deadline > now else "",
        "awards": session_awards(session, participants) if event.is_published else [],
    }


def session_awards(session: Session, participants: list[SessionParticipant]) -> list[dict]:
    """The published star levels and special awards of the session's works, for the reveal:
    three-star first, five-star last (works whose award was later withdrawn are left out)."""
    work_ids = [p.work_id for p in participants]
    results = [
        r
        for r in FinalResult.objects.filter(event=session.event, work_id__in=work_ids)
        .exclude(star_level="")
        .select_related("work__unit")
        if r.work.state == WorkState.AWARDED
    ]
    results.sort(key=lambda r: (STAR_REVEAL_ORDER.get(r.star_level, 9), -(r.rank or 0)))
    awards = [
        {"label": r.get_star_level_display(), "work": r.work, "star": r.star_level} for r in results
    ]
    for special in session.event.special_awards.filter(work_id__in=work_ids).select_related(
        "work__unit"
    ):
        awards.append({"label": special.name, "work": special.work, "star": "special"})
    return awards


def format_remaining(delta: datetime.timedelta) -> str:
    """``MM:SS``, or ``H:MM:SS`` from an hour on (what the projector's script shows too)."""
    seconds = max(0, int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"
