"""Reads of the qualification review. Every queryset starts from ``works_visible_to``."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import Unit
from gongchuang.common.masking import mask_name
from gongchuang.editions.models import Category, Edition
from gongchuang.submissions.ai_use import ai_declaration_problems
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work, WorkFile
from gongchuang.submissions.selectors import works_visible_to

from .enums import (
    CITY_QUEUE_STATES,
    QUOTA_STATES,
    UNIT_DECIDED_STATES,
    UNIT_QUEUE_STATES,
    ChecklistItem,
    FindingCode,
)
from .extract import NOTE_ENCRYPTED, NOTE_TOO_LARGE
from .models import DuplicateMatch, Review, WorkText
from .rules import sees_full_names_of

SORTS = {
    "code": ("code", "pk"),
    "-code": ("-code", "-pk"),
    "title": ("title", "pk"),
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "state": ("state", "code"),
}
DEFAULT_SORT = "code"


def unit_queue(user, *, edition: Edition) -> QuerySet[Work]:
    """The works of the organizer's unit(s): submitted and later, never drafts."""
    return works_visible_to(user, edition=edition).filter(
        unit_id__in=user.unit_ids_for(Role.UNIT_ORGANIZER), state__in=UNIT_QUEUE_STATES
    )


def city_queue(user, *, edition: Edition) -> QuerySet[Work]:
    """Recommended works of every unit and the city's decisions on them (committee only)."""
    if not user.is_committee:
        return Work.objects.none()
    # Every work in these states has its code (given on submission, never taken back): the
    # condition changes nothing but lets the queue's code-ordered index start past the
    # edition's drafts (code "") instead of reading and dropping them (8% of an edition).
    return works_visible_to(user, edition=edition).filter(state__in=CITY_QUEUE_STATES, code__gt="")


def filter_queue(qs: QuerySet[Work], filters: dict) -> QuerySet[Work]:
    """Apply the cleaned filter form (category, level, school, unit, state, q, sort)."""
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("school"):
        qs = qs.filter(school=filters["school"])
    if filters.get("unit"):
        qs = qs.filter(unit=filters["unit"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q))
    sort = SORTS.get(filters.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT])
    return qs.select_related("category", "school", "unit", "precheck").order_by(*sort)


def with_people(qs: QuerySet[Work]) -> QuerySet[Work]:
    """Prefetch authors and advisors (with student profiles) for exports and detail pages."""
    return qs.prefetch_related(
        Prefetch(
            "authorships",
            queryset=Authorship.objects.select_related("user__student_profile").order_by(
                "role", "order", "pk"
            ),
        )
    )


def work_for_unit(user, *, edition: Edition, pk: int) -> Work:
    """A work of the organizer's unit, or 404 (other units' works do not exist for them)."""
    return get_object_or_404(_detail(unit_queue(user, edition=edition)), pk=pk)


def work_for_city(user, *, edition: Edition, pk: int) -> Work:
    return get_object_or_404(_detail(city_queue(user, edition=edition)), pk=pk)


def _detail(qs: QuerySet[Work]) -> QuerySet[Work]:
    return with_people(
        qs.select_related("category", "school", "unit", "edition", "precheck").prefetch_related(
            "files"
        )
    )


def reviews_of(work: Work) -> list[Review]:
    return list(work.screening_reviews.select_related("reviewer"))


def duplicates_of(work: Work) -> list[DuplicateMatch]:
    return list(
        DuplicateMatch.objects.filter(work=work).select_related("other__unit", "other__category")
    )


@dataclass(frozen=True)
class QuotaRow:
    category: Category
    used: int
    quota: int | None

    @property
    def is_full(self) -> bool:
        return self.quota is not None and self.used >= self.quota

    @property
    def left(self) -> int | None:
        return None if self.quota is None else max(self.quota - self.used, 0)


def quota_usage(*, edition: Edition, unit_id: int) -> list[QuotaRow]:
    """Recommended / quota per category of the edition for one unit (two queries)."""
    # COUNT(*), not COUNT(id): the (edition, unit, state, category) index then answers it
    # alone on PostgreSQL too (an index-only scan; SQLite's index carries the rowid anyway).
    used = dict(
        Work.objects.filter(edition=edition, unit_id=unit_id, state__in=QUOTA_STATES)
        .values_list("category")
        .annotate(n=Count("*"))
        .values_list("category", "n")
    )
    return [
        QuotaRow(category=c, used=used.get(c.pk, 0), quota=c.unit_quota)
        for c in Category.objects.filter(edition=edition).order_by("order")
    ]


def recommended_count(*, edition_id: int, unit_id: int, category_id: int) -> int:
    return Work.objects.filter(
        edition_id=edition_id, unit_id=unit_id, category_id=category_id, state__in=QUOTA_STATES
    ).count()


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    submitted: int
    reviewed: int
    recommended: int
    pending: int
    organizers: int

    @property
    def is_behind(self) -> bool:
        return self.pending > 0


def unit_progress(*, edition: Edition) -> list[UnitProgress]:
    """Per unit: works submitted, decided by the unit, recommended, still pending."""
    # Works still with their school (school confirmation) are not the unit's yet.
    counted = Work.objects.filter(edition=edition).exclude(
        state__in=[
            WorkState.DRAFT,
            WorkState.WITHDRAWN,
            WorkState.AWAITING_SCHOOL,
            WorkState.SCHOOL_RETURNED,
        ]
    )
    rows = {
        r["unit"]: r
        for r in counted.values("unit").annotate(
            submitted=Count("pk"),
            reviewed=Count("pk", filter=Q(state__in=UNIT_DECIDED_STATES)),
            recommended=Count("pk", filter=Q(state__in=QUOTA_STATES)),
            pending=Count("pk", filter=Q(state=WorkState.SUBMITTED)),
        )
    }
    units = Unit.objects.annotate(
        organizers=Count("membership", filter=Q(membership__role=Role.UNIT_ORGANIZER))
    )
    result = []
    for unit in units:
        r = rows.get(unit.pk, {})
        if not r and not unit.organizers:
            continue
        result.append(
            UnitProgress(
                unit=unit,
                submitted=r.get("submitted", 0),
                reviewed=r.get("reviewed", 0),
                recommended=r.get("recommended", 0),
                pending=r.get("pending", 0),
                organizers=unit.organizers,
            )
        )
    return result


def checklist_hints(work: Work) -> dict[str, bool | None]:
    """What the platform can tell about each checklist item (None: a person must judge)."""
    files_by_slot: dict[str, int] = {}
    for f in work.files.all():
        files_by_slot[f.slot] = files_by_slot.get(f.slot, 0) + 1
    materials_ok = all(
        files_by_slot.get(m["key"]) or (m.get("allows_link") and work.link)
        for m in work.category.materials
        if m.get("required")
    )
    precheck = getattr(work, "precheck", None)
    if precheck is not None and any(
        f["code"]
        in (FindingCode.MISSING_FILE, FindingCode.WRONG_TYPE, FindingCode.MISSING_MATERIAL)
        for f in precheck.findings
    ):
        materials_ok = False
    eligible = work.category.accepts_level(work.level) if work.level else None
    if work.category.is_teacher_track:
        eligible = None
    return {
        ChecklistItem.MATERIALS: bool(materials_ok),
        ChecklistItem.ELIGIBILITY: eligible,
        ChecklistItem.AI_DECLARATION: not ai_declaration_problems(work),
        ChecklistItem.ORIGINALITY: bool(work.originality_pledge),
        ChecklistItem.CONTENT: None,
    }


def authors_and_advisors(work: Work) -> tuple[list[Authorship], list[Authorship]]:
    people = list(work.authorships.all())
    return (
        [a for a in people if a.role == AuthorRole.AUTHOR],
        [a for a in people if a.role == AuthorRole.ADVISOR],
    )


def person_name(authorship: Authorship, viewer) -> str:
    """The name ``viewer`` may see: minors are masked outside their own unit and the committee."""
    user = authorship.user
    profile = getattr(user, "student_profile", None)
    if profile is not None and profile.is_minor:
        if not sees_full_names_of(viewer, author_unit_id=profile.unit_id):
            return mask_name(user.real_name or user.get_username())
    return user.display_name


def names(people: list[Authorship], viewer) -> str:
    return "、".join(person_name(a, viewer) for a in people)


def describe_findings(work: Work, viewer=None) -> list[dict]:
    """The pre-check findings as sentences, with the matching work of a near-duplicate.

    With ``viewer``, an image near-duplicate also lists both works' images for a side-by-side
    look: ours always, the other work's only if ``viewer`` may open that work anyway.
    """
    precheck = getattr(work, "precheck", None)
    if precheck is None:
        return []
    other_ids = [f["other_work_id"] for f in precheck.findings if f.get("other_work_id")]
    others = Work.objects.select_related("unit", "edition").in_bulk(other_ids)
    result = []
    for f in precheck.findings:
        code = f.get("code")
        if code == FindingCode.MISSING_MATERIAL:
            text = _("Required material missing: %(slot)s") % {"slot": f.get("slot", "")}
        elif code == FindingCode.MISSING_FILE:
            text = _("File missing or unreadable: %(file)s") % {"file": f.get("file", "")}
        elif code == FindingCode.WRONG_TYPE:
            text = _("Wrong file type: %(file)s is really a %(ext)s file") % {
                "file": f.get("file", ""),
                "ext": f.get("detail", "?"),
            }
        elif code == FindingCode.VIDEO_TOO_LONG:
            text = _("Video too long: %(file)s lasts %(seconds)s s (limit %(limit)s s)") % {
                "file": f.get("file", ""),
                "seconds": f.get("seconds"),
                "limit": f.get("limit"),
            }
        elif code == FindingCode.NEAR_DUPLICATE:
            text = _similar_text(others.get(f.get("other_work_id")), f.get("score", 0))
        else:
            text = str(code)
        result.append(
            {
                "code": code,
                "text": text,
                "other": others.get(f.get("other_work_id")),
                "kind": f.get("kind", ""),
                "passages": f.get("passages", []),
            }
        )
    if viewer is not None:
        _add_images(work, result, viewer)
    return result


def _add_images(work: Work, findings: list[dict], viewer) -> None:
    wanted = [f["other"].pk for f in findings if f["kind"] != "text" and f["other"] is not None]
    if not wanted:
        return
    visible = set(works_visible_to(viewer).filter(pk__in=wanted).values_list("pk", flat=True))
    images: dict[int, list[WorkFile]] = {}
    for image in WorkFile.objects.filter(work_id__in=[work.pk, *visible], kind="image"):
        images.setdefault(image.work_id, []).append(image)
    for f in findings:
        if f["kind"] != "text" and f["other"] is not None:
            f["images"] = {
                "mine": images.get(work.pk, []),
                "theirs": images.get(f["other"].pk, []),
                "theirs_visible": f["other"].pk in visible,
            }


def _similar_text(other: Work | None, score: float) -> str:
    """ "与2025届作品 D25-ART-HD-0012 相似 87%" (an imported work without a code: its title)."""
    if other is None:
        label, year = "?", "?"
    else:
        label, year = other.code or f"《{other.title}》", other.edition.year
    return _("Similar to work %(code)s of the %(year)s edition: %(score)s%%") % {
        "code": label,
        "year": year,
        "score": round(score * 100),
    }


def text_notes(work: Work) -> list[dict]:
    """Documents of the work whose text the pre-check could not read, as sentences."""
    stored = WorkText.objects.filter(work=work).values_list("notes", flat=True).first() or []
    reasons = {
        NOTE_ENCRYPTED: _("encrypted"),
        NOTE_TOO_LARGE: _("too large"),
    }
    return [
        {"file": n.get("file", ""), "reason": reasons.get(n.get("note"), _("unreadable"))}
        for n in stored
    ]
