"""Recording audit events (append-only history of every change)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .chain import seal_after_commit
from .models import AuditEvent
from .request_context import current_request_meta


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    edition_id: int | None = None,
) -> AuditEvent:
    """Append one audit event. Call inside the transaction of the change it records.

    ``actor`` may be None for system actions (commands, scheduled tasks).
    The client IP comes from the request being served, if any. The event is written
    unsealed and chained after the transaction commits (``common.chain``).
    """
    if edition_id is None and obj is not None:
        edition_id = getattr(obj, "edition_id", None)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=_actor_label(actor) if is_user else "system",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        edition_id=edition_id,
        before=before,
        after=after,
        reason=str(reason),
        ip=current_request_meta().ip,
    )
    seal_after_commit()
    return event


def _actor_label(actor) -> str:
    name = getattr(actor, "display_name", "") or actor.get_username()
    return str(name)[:150]
