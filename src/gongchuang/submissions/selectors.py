"""Which works a person may see. Every list, detail, download and export uses these."""

from django.db.models import Q, QuerySet

from gongchuang.accounts.enums import Role

from .models import Work


def works_visible_to(user, *, edition=None) -> QuerySet[Work]:
    """Works ``user`` may open: own (as author/advisor), own school (coordinator),
    own unit (organizer, submitted or later), all (committee). Experts see
    works through their assignments (judging app), not here."""
    qs = Work.objects.all()
    if edition is not None:
        qs = qs.filter(edition=edition)
    if not user.is_authenticated:
        return qs.none()
    if user.is_committee:
        return qs
    condition = Q(authorships__user=user)
    school_ids = user.school_ids_for(Role.SCHOOL_COORDINATOR)
    if school_ids:
        condition |= Q(school_id__in=school_ids)
    unit_ids = user.unit_ids_for(Role.UNIT_ORGANIZER)
    if unit_ids:
        condition |= Q(unit_id__in=unit_ids) & ~Q(state="draft")
    return qs.filter(condition).distinct()


def works_of_user(user, *, edition=None) -> QuerySet[Work]:
    qs = Work.objects.filter(authorships__user=user)
    if edition is not None:
        qs = qs.filter(edition=edition)
    return qs.select_related("category", "edition").distinct()
