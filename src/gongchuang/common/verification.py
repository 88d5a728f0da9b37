"""Shared pieces of ``manage.py verify_results``: the report and audited values as of a time.

The apps' ``verify.py`` modules recompute what they recorded from stored inputs with the
same pure functions the services use, and add one line per difference to a ``Report``.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


@dataclass
class Report:
    checked: int = 0
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def differ(self, line: str) -> None:
        self.differences.append(line)

    def compare(self, what: str, recorded, recomputed, *, places: int = 4) -> None:
        """One difference line when ``recorded`` and ``recomputed`` differ (numbers compared
        to ``places`` decimals; None and NaN mean "no value")."""
        if not same(recorded, recomputed, places=places):
            self.differ(f"{what}: recorded {show(recorded)}, recomputed {show(recomputed)}")


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = float(value)
        return None if math.isnan(number) else number
    return value


def same(a, b, *, places: int = 4) -> bool:
    a, b = _number(a), _number(b)
    if isinstance(a, float) and isinstance(b, float):
        return round(a, places) == round(b, places)
    return a == b


def show(value) -> str:
    value = _number(value)
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


def audited_as_of(
    model, ids: Iterable, actions: Iterable[str], at: datetime.datetime | None = None
) -> dict[str, AuditEvent]:
    """The newest audit event (of ``actions``) per object id (as str), up to ``at`` if given."""
    ids = [str(pk) for pk in ids]
    if not ids:
        return {}
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=ids,
        action__in=list(actions),
    )
    if at is not None:
        events = events.filter(at__lte=at)
    newest: dict[str, AuditEvent] = {}
    for event in events.order_by("at", "id").only("object_id", "after", "at"):
        newest[event.object_id] = event
    return newest
