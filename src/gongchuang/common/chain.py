"""The audit trail's hash chain: sealing events after commit, and verifying the chain.

Design
------
``audit_record`` inserts an event *unsealed* (``chain_seq``, ``prev_hash`` and
``chain_hash`` NULL) inside the audited transaction, and asks for a seal after that
transaction commits (``transaction.on_commit``, once per transaction). Sealing is one
short transaction of its own: it locks the one-row ``AuditChainHead`` (a row lock on
PostgreSQL; SQLite's writer lock serialises it anyway), takes every committed,
unsealed event in id order and gives each the next position ``chain_seq``, the hash of
its predecessor ``prev_hash`` and ``chain_hash = sha256(canonical(event) + prev_hash)``,
then moves the head. So audited transactions never wait on one another for the chain
(50 students submitting at once do not queue on a chain lock): only the seals do, for
a few milliseconds each. The chain order is the seal order; an event whose transaction
commits late, with a lower id than events already sealed, is sealed by the next seal.
``manage.py seal_audit`` and ``verify_results`` seal any leftovers first (a seal that
failed after its commit, e.g. on a lost connection, leaves its events for the next one).

The canonical form (``canonical``) is JSON with sorted keys of every content field
(id, time in UTC to the microsecond, actor, action, object, edition, before, after,
reason, IP) plus the position and the previous hash, read back from the database,
so the sealer and the verifier hash the same bytes.

What it detects, and the window
-------------------------------
``verify_chain`` walks the chain in order and reports the first broken link: an event
whose content no longer matches its hash (edited in the database, even by someone
who can bypass the append-only trigger), a position missing (an event deleted), a
``prev_hash`` that is not its predecessor's hash (an event replaced with a recomputed
hash), or a head that is ahead of the last event (the newest events deleted). The
window: an event edited *before* it is sealed (between its commit and the seal, a few
milliseconds normally; longer if sealing fails until the next seal) is sealed as
edited and not detected. Someone who can rewrite the whole table and the head can
rebuild a consistent chain; anchoring the head elsewhere (a printed or published
hash) closes that, outside this module.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import QuerySet

from .models import AuditChainHead, AuditEvent

log = logging.getLogger(__name__)
GENESIS = "0" * 64
CONTENT_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "edition_id",
    "before",
    "after",
    "reason",
    "ip",
)


def canonical(event, *, seq: int, prev_hash: str) -> bytes:
    """The bytes hashed for ``event`` at position ``seq`` after ``prev_hash``."""
    data = {name: getattr(event, name) for name in CONTENT_FIELDS}
    data["at"] = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    data["seq"] = seq
    data["prev_hash"] = prev_hash
    return json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def event_hash(event, *, seq: int, prev_hash: str) -> str:
    return hashlib.sha256(canonical(event, seq=seq, prev_hash=prev_hash)).hexdigest()


def _locked_head(head_model):
    head = head_model.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # The row is made by migration common/0003; a flushed test database lacks it.
    try:
        with transaction.atomic():
            head_model.objects.create(pk=1, seq=0, hash=GENESIS)
    except IntegrityError:
        pass
    return head_model.objects.select_for_update().get(pk=1)


def seal_pending(*, batch: int = 500, event_model=AuditEvent, head_model=AuditChainHead) -> int:
    """Seal every committed, unsealed event in id order; returns how many were sealed.

    ``event_model``/``head_model`` let the data migration pass its historical models.
    """
    sealed = 0
    while True:
        with transaction.atomic():
            head = _locked_head(head_model)
            pending = list(
                event_model.objects.filter(chain_seq__isnull=True).order_by("id")[:batch]
            )
            seq, prev = head.seq, head.hash
            for event in pending:
                seq += 1
                digest = event_hash(event, seq=seq, prev_hash=prev)
                rows = event_model.objects.filter(pk=event.pk, chain_seq__isnull=True)
                # AuditEventQuerySet.update refuses every update: the seal (the seal fields,
                # once, from NULL) is the one write allowed, so it goes past that guard.
                QuerySet.update(rows, chain_seq=seq, prev_hash=prev, chain_hash=digest)
                prev = digest
            if pending:
                head.seq, head.hash = seq, prev
                head.save(update_fields=["seq", "hash", "updated_at"])
        sealed += len(pending)
        if len(pending) < batch:
            return sealed


def seal_after_commit() -> None:
    """Ask for a seal once the current transaction commits (once per transaction)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _seal_quietly()
        return
    if any(entry[1] is _seal_quietly for entry in connection.run_on_commit):
        return
    transaction.on_commit(_seal_quietly)


def _seal_quietly() -> None:
    """A failed seal must not fail the request that committed: the next seal catches up."""
    try:
        seal_pending()
    except DatabaseError:
        log.warning("audit seal failed; the events stay unsealed until the next seal")


@dataclass
class ChainReport:
    checked: int = 0
    unsealed: int = 0
    broken: list[str] = field(default_factory=list)


def verify_chain() -> ChainReport:
    """Walk the sealed chain in order; ``broken`` holds the first broken link, if any."""
    report = ChainReport()
    prev_hash, expected, prev_id = GENESIS, 1, None
    events = AuditEvent.objects.filter(chain_seq__isnull=False).order_by("chain_seq")
    for event in events.iterator(chunk_size=2000):
        report.checked += 1
        problem = _link_problem(event, expected, prev_hash, prev_id)
        if problem:
            report.broken.append(problem)
            return report
        prev_hash, expected, prev_id = event.chain_hash, expected + 1, event.pk
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (expected - 1, prev_hash):
        report.broken.append(
            f"audit chain: head is at position {head.seq} but the last event found is at "
            f"position {expected - 1} (event {prev_id}); the newest events were removed"
        )
    report.unsealed = AuditEvent.objects.filter(chain_seq__isnull=True).count()
    return report


def _link_problem(event, expected: int, prev_hash: str, prev_id: int | None) -> str:
    where = f"audit event {event.pk} (position {event.chain_seq})"
    if event.chain_seq != expected:
        return (
            f"{where}: first broken link — positions {expected}..{event.chain_seq - 1} "
            f"are missing after event {prev_id} (events deleted)"
        )
    if event.prev_hash != prev_hash:
        return (
            f"{where}: first broken link — its previous hash does not match event {prev_id} "
            f"(that event was altered or replaced)"
        )
    if event_hash(event, seq=event.chain_seq, prev_hash=event.prev_hash) != event.chain_hash:
        return f"{where}: first broken link — its content does not match its hash (altered)"
    return ""
