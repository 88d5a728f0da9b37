"""One pattern for every state machine: an allowed-transitions table and one apply function.

A workflow declares its table in its ``enums.py``; its service
(e.g. ``transition_work``) checks permissions and calls :func:`apply_transition`,
which is the only code that assigns the state field. The change and its audit
event are written in the same transaction.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.utils.translation import gettext as _

from .audit import audit_record
from .errors import DomainError


class TransitionTable:
    """Which moves between states are allowed."""

    def __init__(self, moves: Iterable[tuple[str, str]]):
        self._moves: dict[str, set[str]] = {}
        for source, target in moves:
            self._moves.setdefault(str(source), set()).add(str(target))

    def allows(self, source: str, target: str) -> bool:
        return str(target) in self._moves.get(str(source), set())

    def targets(self, source: str) -> set[str]:
        return set(self._moves.get(str(source), set()))

    def pairs(self) -> list[tuple[str, str]]:
        return sorted((s, t) for s, ts in self._moves.items() for t in ts)


def apply_transition(
    obj: models.Model,
    *,
    table: TransitionTable,
    target: str,
    actor,
    reason: str = "",
    field: str = "state",
    action: str | None = None,
    extra_updates: dict | None = None,
    already_locked: bool = False,
) -> models.Model:
    """Move ``obj`` to ``target`` under a row lock and record it; return the fresh object.

    Raises DomainError when the move is not in the table (also when another
    request moved the object first: the check runs on the locked, current row).
    ``already_locked``: ``obj`` was read with ``select_for_update`` in the current
    transaction, so it is the current row and is changed as it is (without a savepoint:
    the caller's transaction ends if the writes fail).
    """
    with transaction.atomic(savepoint=not already_locked):
        if already_locked:
            locked = obj
        else:
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        source = getattr(locked, field)
        if not table.allows(source, target):
            raise DomainError(
                _("This action is not possible in the current state."), code="bad_transition"
            )
        setattr(locked, field, target)
        update_fields = [field]
        for name, value in (extra_updates or {}).items():
            setattr(locked, name, value)
            update_fields.append(name)
        locked.save(update_fields=update_fields)
        audit_record(
            actor=actor,
            action=action or f"{locked._meta.model_name}.{field}",
            obj=locked,
            before={field: str(source)},
            after={field: str(target)},
            reason=reason,
        )
    locked.transition_source = str(source)  # for after-commit receivers (not a field)
    return locked
