"""The one-work-per-student slot of an edition, held by two keys.

A student's authorship holds the slot from submission until withdrawal
(``Authorship.holds_slot``) under both of the student's keys (accounts.identity): the
document key (``identity_key``) and the person key (``person_key``: name + birth date).
Two partial unique constraints make the rule hold under concurrency for accounts that
share a key. Accounts linked only through a third one (A and B share a document, B and
C a name and birth date) share no key; :func:`linked_keys` follows such links, and at
submission locks the linked profiles, so that two of them are never submitted at once.
The checks say which account already holds the slot (masked).
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongchuang.accounts.models import StudentProfile
from gongchuang.common.errors import DomainError
from gongchuang.common.masking import mask_name, mask_text

from .models import Authorship

Keys = tuple[str, str]  # (document key, person key)
MAX_LINKED = 50  # a bound on the accounts followed; real children have one or a few

ONE_WORK_MESSAGE = gettext_lazy(
    "Each student may submit only one work per edition, in all categories together. "
    "A work of yours (or of a team member) has already been submitted."
)
SLOT_CONSTRAINTS = ("one_work_per_student", "one_work_per_person", "submissions_authorship")


def profile_keys(profile) -> Keys:
    """The slot keys of a student or teacher profile (teachers have none)."""
    return getattr(profile, "identity_key", ""), getattr(profile, "person_key", "")


def linked_keys(keys: list[Keys], *, lock: bool = False) -> list[Keys]:
    """``keys`` and the keys of every account linked to them by a shared key, transitively.

    With ``lock`` (inside the submission's transaction), the linked student profiles are
    locked in a fixed order: two submissions of linked accounts then wait for each
    other, and the second sees the first's slot.
    """
    documents = {d for d, _p in keys if d}
    persons = {p for _d, p in keys if p}
    seen: set[int] = set()
    while len(seen) < MAX_LINKED:
        match = Q(identity_key__in=documents) | Q(person_key__in=persons)
        rows = StudentProfile.objects.filter(match).exclude(pk__in=seen)
        found = list(rows.values_list("pk", "identity_key", "person_key")[:MAX_LINKED])
        if not found:
            break
        for pk, document, person in found:
            seen.add(pk)
            documents.update([document] if document else [])
            persons.update([person] if person else [])
    if lock and seen:
        locked = StudentProfile.objects.select_for_update().filter(pk__in=seen).order_by("pk")
        list(locked.values_list("pk", flat=True))
    return [(d, "") for d in sorted(documents)] + [("", p) for p in sorted(persons)]


def slot_holder(*, edition_id: int, keys: list[Keys], exclude_work_id=None) -> Authorship | None:
    """The authorship holding the slot of any of ``keys`` in the edition, if any."""
    documents = [d for d, _p in keys if d]
    persons = [p for _d, p in keys if p]
    if not documents and not persons:
        return None
    match = Q(identity_key__in=documents) | Q(person_key__in=persons)
    taken = Authorship.objects.filter(match, edition_id=edition_id, holds_slot=True)
    if exclude_work_id is not None:
        taken = taken.exclude(work_id=exclude_work_id)
    return taken.select_related("user").order_by("pk").first()


def slot_must_be_free(
    *, edition_id: int, keys: list[Keys], exclude_work_id=None, lock: bool = False
) -> None:
    """Refuse when the slot of ``keys``, or of an account linked to them, is held.

    With ``lock``, see :func:`linked_keys`; the partial unique constraints guarantee
    the rule for accounts sharing a key in any case.
    """
    keys = linked_keys(keys, lock=lock)
    holder = slot_holder(edition_id=edition_id, keys=keys, exclude_work_id=exclude_work_id)
    if holder is not None:
        raise slot_taken_error(holder)


def slot_taken_error(holder: Authorship | None) -> DomainError:
    """The refusal, naming the holding account masked (it may be another account)."""
    if holder is None:
        return DomainError(ONE_WORK_MESSAGE, code="one_work_per_student")
    user = holder.user
    return DomainError(
        _(
            "Each student may submit only one work per edition, in all categories together. "
            "The account %(account)s (%(name)s) already holds this student's place with a "
            "submitted work. If that account is yours, log in with it, or withdraw its work "
            "there first. If it is not yours, or you cannot reach it, ask your school "
            "coordinator or the city committee for help."
        )
        % {"account": mask_text(user.username, keep=2), "name": mask_name(user.real_name)},
        code="one_work_per_student",
    )


def is_slot_violation(exc: Exception) -> bool:
    text = str(exc)
    return any(name in text for name in SLOT_CONSTRAINTS)
