"""What the other apps hold about a person, for the privacy rules and pages (issue 8).

``accounts`` owns the person and the privacy rules, not the works, objections or inbox
messages other apps keep about them, and imports none of those apps. Each app that holds
personal data registers, in its ``AppConfig.ready()``:

- a :class:`PersonalDataSource` (:func:`register_source`): its section of the export,
  the files that go with it, how to erase what it holds when an account is anonymised
  and how to move it when a duplicate account is merged into another;
- a relation (:func:`register_relation`): ``func(viewer, student) -> bool``, true when
  ``viewer`` shares something with ``student`` that lets them see the student's data in
  full (co-authors and advisors of a work).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models.fields.files import FieldFile


@dataclass(frozen=True)
class PersonalDataSource:
    key: str  # the section of data.json
    export: Callable[..., list]  # export(user) -> JSON-ready rows
    order: int = 100  # sections appear in this order (after the account's own)
    # files(user) -> (path in the ZIP, file) pairs
    files: Callable[..., Iterable[tuple[str, FieldFile]]] | None = None
    # erase(user): run in the anonymising transaction, before the account's own fields
    # are blanked (so ``user.email`` still holds the old address).
    erase: Callable[..., None] | None = None
    # merge(duplicate, kept) -> {what: count}: move what ``duplicate`` holds to ``kept``
    # in the merge's transaction (the counts go into its audit event); raise a
    # DomainError to refuse the merge.
    merge: Callable[..., dict[str, int]] | None = None


_SOURCES: list[PersonalDataSource] = []
_RELATIONS: list[Callable[..., bool]] = []


def register_source(source: PersonalDataSource) -> None:
    if all(s.key != source.key for s in _SOURCES):
        _SOURCES.append(source)


def sources() -> list[PersonalDataSource]:
    return sorted(_SOURCES, key=lambda s: s.order)


def register_relation(func: Callable[..., bool]) -> Callable[..., bool]:
    if func not in _RELATIONS:
        _RELATIONS.append(func)
    return func


def related(viewer, student) -> bool:
    """True when some app says ``viewer`` shares something with ``student``."""
    return any(relation(viewer, student) for relation in _RELATIONS)
