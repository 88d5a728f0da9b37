"""Possible duplicate persons among student accounts, for the committee.

Three signs that two accounts may be one child (accounts.identity):

- the same person key (normalised name + birth date), whatever the schools;
- the same document key (one document on two accounts);
- near-identical names (one character added, removed or changed, after
  normalisation) with the same birth date.

Only active accounts that were not voided are compared. Near-identical names are
found without comparing every pair: each name is indexed under itself and under
each of its one-character deletions, per birth date (two names one edit apart share
one of these forms).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .identity import normalise_name
from .models import StudentProfile

REASONS = {
    "person": _("Same name and date of birth"),
    "document": _("Same identity document"),
    "similar": _("Near-identical names, same date of birth"),
}


@dataclass
class DuplicateGroup:
    reason: str  # a key of REASONS
    profiles: list[StudentProfile]

    @property
    def reason_label(self) -> str:
        return str(REASONS[self.reason])

    @property
    def pks(self) -> tuple[int, ...]:
        return tuple(sorted(p.user_id for p in self.profiles))


def _candidates():
    return StudentProfile.objects.filter(
        user__is_active=True, user__is_anonymised=False, voided_at__isnull=True
    )


def _same_key_groups(field: str, reason: str) -> list[DuplicateGroup]:
    keys = (
        _candidates()
        .exclude(**{field: ""})
        .values(field)
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list(field, flat=True)
    )
    rows = (
        _candidates()
        .filter(**{f"{field}__in": list(keys)})
        .select_related("user", "school")
        .order_by(field, "user_id")
    )
    groups: dict[str, list[StudentProfile]] = defaultdict(list)
    for profile in rows:
        groups[getattr(profile, field)].append(profile)
    return [DuplicateGroup(reason, profiles) for profiles in groups.values()]


def _one_edit_forms(name: str) -> set[str]:
    """The name and its one-character deletions of two characters or more (a one-character
    form would pair every two-character name with any other of the same given name)."""
    deletions = {name[:i] + name[i + 1 :] for i in range(len(name))}
    return {name} | {form for form in deletions if len(form) >= 2}


def _similar_name_groups(known: set[tuple[int, ...]]) -> list[DuplicateGroup]:
    dates = (
        _candidates()
        .values("birth_date")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("birth_date", flat=True)
    )
    rows = _candidates().filter(birth_date__in=list(dates)).select_related("user", "school")
    index: dict[tuple, dict[int, StudentProfile]] = defaultdict(dict)
    for profile in rows.order_by("user_id"):
        name = normalise_name(profile.user.real_name)
        if len(name) < 2:
            continue
        for form in _one_edit_forms(name):
            index[(profile.birth_date, form)][profile.user_id] = profile
    pairs: dict[tuple[int, ...], list[StudentProfile]] = {}
    for members in index.values():
        if len(members) < 2:
            continue
        group = DuplicateGroup("similar", list(members.values()))
        if group.pks not in known and not _same_person(group):
            pairs.setdefault(group.pks, group.profiles)
    return [DuplicateGroup("similar", profiles) for profiles in pairs.values()]


def _same_person(group: DuplicateGroup) -> bool:
    return len({p.person_key for p in group.profiles}) == 1


def possible_duplicates() -> list[DuplicateGroup]:
    """Groups of accounts that may be one child, the surest signs first."""
    groups = _same_key_groups("identity_key", "document")
    groups += _same_key_groups("person_key", "person")
    known = {g.pks for g in groups}
    groups += _similar_name_groups(known)
    return groups
