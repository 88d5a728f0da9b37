"""Reads of the portal. Everything public goes through ``public_works`` / ``notices_public``."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from gongchuang.accounts.enums import Level, Role
from gongchuang.accounts.models import Unit
from gongchuang.common.masking import mask_name
from gongchuang.editions.enums import CategoryCode, MaterialKind
from gongchuang.editions.models import Edition
from gongchuang.finals.selectors import event_for, published_results
from gongchuang.publicity.selectors import award_list
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work, WorkFile

from .enums import (
    CASE_DOWNLOAD_KINDS,
    PUBLIC_FILE_KINDS,
    SHOWCASE_STATES,
    NoticeStatus,
    QuestionStatus,
)
from .models import CaseQuestion, Notice


def notices_public(*, unit=None, city_only: bool = False) -> QuerySet[Notice]:
    """Published notices, pinned first then newest. ``unit``: that unit's notices only."""
    qs = Notice.objects.filter(
        status=NoticeStatus.PUBLISHED, published_at__lte=timezone.now()
    ).select_related("unit", "edition")
    if unit is not None:
        qs = qs.filter(unit=unit)
    elif city_only:
        qs = qs.filter(unit__isnull=True)
    return qs.order_by("-is_pinned", "-published_at", "-pk")


def notices_managed_by(user) -> QuerySet[Notice]:
    """Notices a person may edit: all (committee), their units' (unit organizer)."""
    qs = Notice.objects.select_related("unit", "edition", "created_by").order_by(
        "-updated_at", "-pk"
    )
    if not user.is_authenticated:
        return qs.none()
    if user.is_committee:
        return qs
    return qs.filter(unit_id__in=user.unit_ids_for(Role.UNIT_ORGANIZER))


def unit_ids_of(user) -> set[int]:
    """Units a person belongs to: as a student, teacher or staff member."""
    memberships = list(user.memberships.select_related("school"))
    ids = {m.unit_id for m in memberships if m.unit_id}
    ids |= {m.school.unit_id for m in memberships if m.school is not None}
    for profile_name in ("student_profile", "teacher_profile"):
        profile = getattr(user, profile_name, None)
        if profile is not None:
            ids.add(profile.unit_id)
    return ids


def units_with_notices():
    """Units that have published notices (links to their pages)."""
    return (
        Unit.objects.filter(notices__status=NoticeStatus.PUBLISHED)
        .distinct()
        .order_by("order", "code")
    )


def notices_for_user(user, *, limit: int = 5) -> list[Notice]:
    """Latest published notices of the person's own units, then the city's."""
    unit_ids = unit_ids_of(user)
    qs = notices_public().filter(Q(unit_id__in=unit_ids) | Q(unit__isnull=True))
    return list(qs[:limit])


def _public_filter() -> Q:
    return Q(is_public=True, showcase_consent=True, state__in=list(SHOWCASE_STATES))


def public_works(
    *,
    edition_slug: str = "",
    category: str = "",
    level: str = "",
    unit: str = "",
    q: str = "",
    teaching_cases: bool = False,
    case_level: str = "",
    case_subject: str = "",
    ai_topic: str = "",
) -> QuerySet[Work]:
    """Works shown to the public (marked public by the committee, with consent).

    Student works by default; ``teaching_cases`` selects the teaching-case library.
    The first media file of each work is prefetched into ``public_media``.
    """
    qs = Work.objects.filter(_public_filter())
    if teaching_cases:
        qs = qs.filter(category__code=CategoryCode.TEACHING_CASE)
    else:
        qs = qs.exclude(category__code=CategoryCode.TEACHING_CASE)
    if edition_slug:
        qs = qs.filter(edition__slug=edition_slug)
    if category:
        qs = qs.filter(category__code=category)
    if level:
        qs = qs.filter(level=level)
    if unit:
        qs = qs.filter(unit__code=unit)
    if case_level:
        qs = qs.filter(case_level=case_level)
    if case_subject:
        qs = qs.filter(case_subject=case_subject)
    if ai_topic:
        qs = qs.filter(ai_topic=ai_topic)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(keywords__icontains=q) | Q(abstract__icontains=q))
    media = WorkFile.objects.filter(kind__in=["image", "video"]).only(
        "id", "work_id", "kind", "thumbnail", "slot", "original_name", "created_at"
    )
    # Only the columns the gallery shows: the database sorts the whole filtered set
    # before LIMIT, and wide rows (JSON settings of editions and categories) make
    # that sort several times slower.
    return (
        qs.select_related("edition", "category", "unit")
        .only(
            "id", "title", "level", "edition__year", "edition__name", "category__name",
            "category__code", "unit__name", "unit__code", "ai_tool_list", "ai_tools",
            "case_licence", "case_level", "case_subject", "ai_topic",
        )
        .prefetch_related(Prefetch("files", queryset=media, to_attr="public_media"))
        .order_by("-edition__year", "-pk")
    )  # fmt: skip


def public_works_for_sitemap() -> QuerySet[Work]:
    return Work.objects.filter(_public_filter()).only("pk", "updated_at").order_by("pk")


def public_work_detail(pk: int) -> Work | None:
    """One public work with its public files, authors (profiles for masking) and credit."""
    people = Authorship.objects.select_related(
        "user", "user__student_profile", "user__teacher_profile"
    ).order_by("role", "order")
    # Word and slides too: a teaching case licensed for download offers them (the view
    # keeps only images, videos and PDFs for every other work).
    files = WorkFile.objects.filter(kind__in=CASE_DOWNLOAD_KINDS).order_by("slot", "created_at")
    work = (
        Work.objects.filter(_public_filter(), pk=pk)
        .select_related("edition", "category", "unit", "school", "showcase_credit")
        .prefetch_related(
            Prefetch("authorships", queryset=people),
            Prefetch("files", queryset=files, to_attr="public_files"),
        )
        .first()
    )
    if work is not None and not (work.is_teaching_case and work.case_downloadable):
        work.public_files = [f for f in work.public_files if f.kind in PUBLIC_FILE_KINDS]
    return work


def public_work_file(pk: int) -> WorkFile | None:
    """A file that anyone may open: of a public work, and an image, video or PDF."""
    return (
        WorkFile.objects.filter(pk=pk, kind__in=PUBLIC_FILE_KINDS)
        .filter(work__is_public=True, work__showcase_consent=True)
        .select_related("work")  # its AI declaration labels the download
        .first()
    )


def public_case_file(pk: int) -> WorkFile | None:
    """A material of a public teaching case that a download may offer (licence not checked)."""
    return (
        WorkFile.objects.filter(pk=pk, kind__in=CASE_DOWNLOAD_KINDS)
        .filter(_work_public_q(), work__category__code=CategoryCode.TEACHING_CASE)
        .select_related("work")
        .first()
    )


def _work_public_q() -> Q:
    return Q(
        work__is_public=True,
        work__showcase_consent=True,
        work__state__in=list(SHOWCASE_STATES),
    )


def published_questions(work: Work) -> list[CaseQuestion]:
    """The committee-approved questions on a case, oldest first, with their askers."""
    return list(
        CaseQuestion.objects.filter(work=work, status=QuestionStatus.APPROVED).select_related(
            "asked_by", "answered_by"
        )
    )


def awarded_works(edition) -> QuerySet[Work]:
    return (
        Work.objects.filter(edition=edition, state=WorkState.AWARDED)
        .select_related("category", "unit", "school")
        .order_by("category__order", "level", "code")
    )


def results_for(edition) -> list[dict]:
    """Award lists per group: the final's published star levels when the edition had a
    final in this system (nothing before publication), otherwise the awarded works
    (e.g. imported past editions) per category × level.

    Each group: ``{"label": str, "rows": [{"work": Work, "star": str}]}``.
    """
    event = event_for(edition)
    if event is not None and not event.is_published:
        return []  # the final's results are not public until the committee publishes them
    published = published_results(event) if event is not None else []
    if published:
        works = [r.work for _label, rows in published for r in rows]
        prefetch_related_objects(works, "school")
        return [
            {
                "label": label,
                "rows": [{"work": r.work, "star": r.get_star_level_display()} for r in rows],
            }
            for label, rows in published
        ]
    groups: dict[str, list[dict]] = {}
    for work in awarded_works(edition):
        label = work.category.name
        if work.level:
            label = f"{label} · {work.get_level_display()}"
        groups.setdefault(label, []).append({"work": work, "star": ""})
    return [{"label": label, "rows": rows} for label, rows in groups.items()]


def award_publicity(edition):
    """The edition's award list while its results are not published (the 公示 notice of
    /results/ and the certificate check), or None."""
    event = event_for(edition)
    if event is None or event.is_published:
        return None
    return award_list(edition)


def editions_with_public_content():
    """Editions to offer in filters: the current one and those with public or awarded works."""
    shown = Work.objects.filter(edition=OuterRef("pk")).filter(
        _public_filter() | Q(state=WorkState.AWARDED)
    )
    return Edition.objects.filter(Q(is_current=True) | Exists(shown)).order_by("-year", "slug")


def public_people(work: Work) -> tuple[list[str], list[str]]:
    """Author and advisor names as the public may see them: minors masked (张**)."""
    authors, advisors = [], []
    for authorship in work.authorships.all():
        user = authorship.user
        profile = getattr(user, "student_profile", None)
        name = user.real_name or ""
        if profile is not None and profile.is_minor:
            name = mask_name(name)
        (authors if authorship.role == AuthorRole.AUTHOR else advisors).append(name)
    credit = getattr(work, "showcase_credit", None)
    if credit is not None:
        authors = authors or [credit.authors]
        advisors = advisors or ([credit.advisors] if credit.advisors else [])
    return authors, advisors


def guide_categories(edition) -> list[dict]:
    """Each category of the edition as the guide shows it, straight from the settings
    the system enforces (levels, authors, advisors, materials, quota, rubric)."""
    rows = []
    for category in edition.categories.prefetch_related("rubric").order_by("order"):
        rows.append(
            {
                "category": category,
                "levels": [
                    Level(code).label for code in category.eligible_levels if code in Level.values
                ],
                "materials": [
                    {
                        **m,
                        "kinds": "、".join(
                            str(MaterialKind(k).label) if k in MaterialKind.values else k
                            for k in m.get("kinds", [])
                        ),
                    }
                    for m in category.materials
                ],
                "rubric": list(category.rubric.all()),
            }
        )
    return rows
