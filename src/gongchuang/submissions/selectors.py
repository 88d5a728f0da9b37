"""Reads on works: which works a person may see (every list, detail, download and export
uses these) and what still keeps a work from being submitted."""

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gongchuang.accounts.enums import Role
from gongchuang.common.models import AuditEvent
from gongchuang.editions.enums import Track
from gongchuang.editions.selectors import edition_with_windows, kept_category

from .ai_use import ai_declaration_problems
from .enums import AuthorRole, WorkState
from .models import Authorship, Work


def works_visible_to(user, *, edition=None) -> QuerySet[Work]:
    """Works ``user`` may open: own (as author/advisor), own school (coordinator),
    own unit (organizer, submitted or later, school-confirmed when the edition asks for
    it), all (committee). Experts see
    works through their assignments (judging app), not here."""
    qs = Work.objects.all()
    if edition is not None:
        qs = qs.filter(edition=edition)
    if not user.is_authenticated:
        return qs.none()
    if user.is_committee:
        return qs
    # A subquery, not a join: no duplicate rows, so no DISTINCT over the whole edition (at
    # 100,000 works the join + DISTINCT made an organizer's queue scan every work).
    condition = Q(pk__in=Authorship.objects.filter(user=user).values("work_id"))
    school_ids = user.school_ids_for(Role.SCHOOL_COORDINATOR)
    if school_ids:
        condition |= Q(school_id__in=school_ids)
    unit_ids = user.unit_ids_for(Role.UNIT_ORGANIZER)
    if unit_ids:
        condition |= organised_units_condition(unit_ids)
    return qs.filter(condition)


def organised_units_condition(unit_ids, *, prefix: str = "") -> Q:
    """What a unit organizer sees of the works of ``unit_ids``: submitted or later (drafts
    are the authors' own business, works awaiting school confirmation or returned by it their
    school's). The
    one rule for that audience, shared by :func:`works_visible_to` and the reports' scope
    (``prefix`` e.g. ``"work__"``)."""
    hidden = [WorkState.DRAFT, WorkState.AWAITING_SCHOOL, WorkState.SCHOOL_RETURNED]
    return Q(**{f"{prefix}unit_id__in": unit_ids}) & ~Q(**{f"{prefix}state__in": hidden})


def works_of_user(user, *, edition=None) -> QuerySet[Work]:
    qs = Work.objects.filter(authorships__user=user)
    if edition is not None:
        qs = qs.filter(edition=edition)
    return qs.select_related("category", "edition").distinct()


def work_for(user, pk: int, *, edition=None) -> Work:
    """One work ``user`` may see, with what its pages need; 404 otherwise."""
    qs = works_visible_to(user, edition=edition).select_related(
        "edition", "category", "unit", "school", "created_by"
    )
    work = get_object_or_404(qs, pk=pk)
    prefetch_related_objects([work], "authorships__user", "files", "edition__windows")
    return work


def work_to_change(user, pk: int, *, authors_only: bool = False) -> Work:
    """A work ``user`` is an accepted member of (an author if ``authors_only``), for the
    requests that change it (uploads, submit): one query for the work, one for its
    authorships; its edition with windows and its category are the ones the process keeps
    for the current edition (see ``editions.selectors.current_edition``), read otherwise;
    404 if there is no such work.

    Lighter than :func:`work_for`, whose visibility rules (coordinators, organizers,
    committee) and page prefetches those requests do not need; the services check the
    permission again under the row lock.
    """
    memberships = Q(authorships__user=user, authorships__accepted_at__isnull=False)
    if authors_only:
        memberships &= Q(authorships__role=AuthorRole.AUTHOR)
    # (work, user) is unique among authorships: the join cannot duplicate the row.
    work = get_object_or_404(Work.objects.filter(memberships), pk=pk)
    prefetch_related_objects([work], "authorships")
    work.edition = edition_with_windows(work.edition_id)
    category = kept_category(work.edition, work.category_id)
    if category is not None:
        work.category = category
    return work


def my_works(user, *, edition) -> list[Work]:
    """The works where ``user`` is an accepted author or advisor (newest first)."""
    return list(
        Work.objects.filter(
            edition=edition, authorships__user=user, authorships__accepted_at__isnull=False
        )
        .select_related("category", "edition")
        .prefetch_related("authorships__user", "files")
        .distinct()
        .order_by("-created_at")
    )


def slot_work(user, works: list[Work]) -> Work | None:
    """The work among ``works`` (read by :func:`my_works`, authorships prefetched) that holds
    ``user``'s one work of the edition: submitted or further, until withdrawn (no query)."""
    for work in works:
        for authorship in work.authorships.all():
            if authorship.user_id == user.pk and authorship.holds_slot:
                return work
    return None


def holds_slot(user, *, edition) -> bool:
    """Whether ``user`` already holds a student's one work of ``edition`` (one query)."""
    return Authorship.objects.filter(user=user, edition=edition, holds_slot=True).exists()


def pending_invitations(user, *, edition):
    return list(
        Authorship.objects.filter(user=user, edition=edition, accepted_at__isnull=True)
        .select_related("work__category", "work__created_by")
        .order_by("-created_at")
    )


def works_of_coordinator(user, *, edition) -> QuerySet[Work]:
    """The works of the schools ``user`` coordinates (drafts included), for a paginated list."""
    return (
        Work.objects.filter(
            edition=edition, school_id__in=user.school_ids_for(Role.SCHOOL_COORDINATOR)
        )
        .select_related("category", "school")
        .prefetch_related("authorships__user")
        .order_by("school__name", "-created_at")
    )


def work_timeline(work: Work) -> list:
    """The work's recorded history (creation and state changes), oldest first."""
    events = list(
        AuditEvent.objects.for_object(work)
        .filter(action__in=["work.create", "work.transition"])
        .order_by("at", "id")
    )
    labels = dict(WorkState.choices)
    for event in events:
        event.from_label = labels.get((event.before or {}).get("state"), "")
        event.to_label = labels.get((event.after or {}).get("state"), "")
    return events


def submission_problems(work: Work) -> list[str]:
    """What still keeps ``work`` from being submitted, as sentences for its authors.

    Empty when the work is complete. Used by the submit service and the pages
    ("what is missing"). Reads ``work.authorships`` and ``work.files`` (prefetch them).
    """
    problems: list[str] = []
    category = work.category
    if not work.title.strip():
        problems.append(_("The title is missing."))
    if not work.abstract.strip():
        problems.append(_("The abstract is missing."))
    if not work.keywords.strip():
        problems.append(_("The keywords are missing."))
    problems.extend(ai_declaration_problems(work))
    if not work.originality_pledge:
        problems.append(_("The originality pledge has not been accepted."))
    slots = {f.slot for f in work.files.all()}
    for material in category.materials:
        if not material.get("required"):
            continue
        if material["key"] in slots or (material.get("allows_link") and work.link):
            continue
        problems.append(_("Missing material: %(label)s.") % {"label": material["label"]})
    people = list(work.authorships.all())
    authors = [a for a in people if a.role == AuthorRole.AUTHOR]
    advisors = [a for a in people if a.role == AuthorRole.ADVISOR]
    if len(authors) > category.max_authors:
        problems.append(
            _("This category allows at most %(n)d authors.") % {"n": category.max_authors}
        )
    if len(advisors) > category.max_advisors:
        problems.append(
            _("This category allows at most %(n)d advisors.") % {"n": category.max_advisors}
        )
    if any(a.accepted_at is None for a in people):
        problems.append(
            _("Some invitations have not been answered yet; wait for them or cancel them.")
        )
    if category.track == Track.STUDENT and not category.accepts_level(work.level):
        problems.append(
            _("Your education level cannot take part in the category “%(category)s”.")
            % {"category": category.name}
        )
    return problems
