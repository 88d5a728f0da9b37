from django.db.models import Count, Prefetch, Q, QuerySet

from gongchuang.submissions.enums import AuthorRole
from gongchuang.submissions.models import Authorship, Work

from .enums import PENDING_OBJECTION_STATES, ListKind, ObjectionState
from .models import Objection, PublicityEntry, PublicityList


def public_lists(edition) -> QuerySet[PublicityList]:
    """Published lists of ``edition`` (anyone may see them), newest first."""
    return PublicityList.objects.filter(edition=edition).annotate(
        listed=Count("entries", filter=Q(entries__removed_at__isnull=True))
    )


def listed_entries(publicity: PublicityList) -> QuerySet[PublicityEntry]:
    """Works still on ``publicity`` with what the public list shows, in few queries."""
    authors = Authorship.objects.filter(role=AuthorRole.AUTHOR).select_related("user")
    return (
        publicity.entries.filter(removed_at__isnull=True)
        .select_related("work__category", "work__unit", "work__school")
        .prefetch_related(Prefetch("work__authorships", queryset=authors, to_attr="author_list"))
    )


def objections_for_committee(state: str = "") -> QuerySet[Objection]:
    """The committee's objection queue, oldest first (read in the order of an index), with
    only the columns its table shows: the reasons, statements and the works' texts stay in
    the database."""
    qs = (
        Objection.objects.select_related("entry__work", "objector")
        .only(
            "created_at",
            "state",
            "statement_at",
            "statement_requested_at",
            "entry__work__code",
            "entry__work__title",
            "objector__real_name",
            "objector__username",
        )
        .order_by("created_at", "id")
    )
    if state == "pending":
        return qs.filter(state__in=list(PENDING_OBJECTION_STATES))
    if state:  # an unknown state (say, typed into the address bar) matches nothing
        return qs.filter(state=state) if state in ObjectionState.values else qs.none()
    return qs


def objections_of(user) -> QuerySet[Objection]:
    return Objection.objects.filter(objector=user).select_related(
        "entry__work", "entry__publicity_list"
    )


def pending_objection_count(publicity: PublicityList) -> int:
    return Objection.objects.filter(
        entry__publicity_list=publicity, state__in=list(PENDING_OBJECTION_STATES)
    ).count()


def final_works(edition, kind: str) -> QuerySet:
    """Works on a list of ``kind`` that the committee confirmed final (公示结束), still listed.

    What follows publicity (final-event invitations, certificates) should use only these.
    """
    return Work.objects.filter(
        publicity_entries__publicity_list__edition=edition,
        publicity_entries__publicity_list__kind=kind,
        publicity_entries__publicity_list__final_at__isnull=False,
        publicity_entries__removed_at__isnull=True,
    ).distinct()


def award_list(edition) -> PublicityList | None:
    """The award list of ``edition`` (at most one: a database constraint), or None."""
    if edition is None:
        return None
    return PublicityList.objects.filter(edition=edition, kind=ListKind.AWARD).first()


def award_list_in_publicity(edition) -> PublicityList | None:
    """The award list while it is not yet confirmed final (what /results/ announces)."""
    publicity = award_list(edition)
    return publicity if publicity is not None and not publicity.is_final else None
