"""Reads of the experts' discussion of a work, the panel lead's notes and an expert's
score distribution.

Who reads a discussion (``discussion_access``): the committee; the jury's experts who
review the work (a non-forbidden assignment in the published jury, the pledge accepted,
and — when ``Jury.discussion_after_review`` — their own review submitted); the jury's
panel lead, also for works they do not review unless conflicted. Never the authors,
advisors or units: they hold no judging role, and no page of theirs reads these models.
Experts see each other as "Expert 1, 2 …" like the anonymous peer scores (``peers.py``);
the committee sees names.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from gongchuang.accounts.access import is_committee
from gongchuang.accounts.models import User
from gongchuang.submissions.models import Work

from ..enums import ReviewStatus
from ..matching import conflicted_experts, expert_org_sets, forbidden_pairs, work_org_sets
from ..models import Assignment, ConsensusNote, DiscussionPost, Jury, JuryCount, Review
from .experts import has_pledged

COMMITTEE, LEAD, EXPERT = "committee", "lead", "expert"
# The jury's distribution is shown to an expert only once this many experts have submitted:
# with fewer, the others' totals could be read off it.
MIN_EXPERTS_FOR_DISTRIBUTION = 3
BINS = 10  # 0–10, 10–20 … 90–100
DISTRIBUTION_CACHE_SECONDS = 600


def discussion_access(user: User, jury: Jury, work: Work) -> str | None:
    """``COMMITTEE``, ``LEAD``, ``EXPERT`` or None: how ``user`` may read the work's discussion."""
    if not user.is_authenticated:
        return None
    if is_committee(user):
        return COMMITTEE
    if jury.published_at is None or not has_pledged(user, jury.edition):
        return None
    is_lead = jury.lead_id == user.pk and jury.members.filter(pk=user.pk).exists()
    own = (
        Assignment.objects.filter(jury=jury, work=work, expert=user)
        .select_related("review")
        .first()
    )
    if own is not None and own.forbidden:
        return None
    if own is not None:
        review = getattr(own, "review", None)
        if jury.discussion_after_review and not (review and review.is_submitted):
            return None
        return LEAD if is_lead else EXPERT
    if is_lead and user.pk not in conflicted_experts(work, [user.pk]):
        return LEAD
    return None


@dataclass
class PostView:
    label: str
    body: str
    created_at: object
    own: bool


def discussion_posts(jury: Jury, work: Work, *, viewer: User, access: str) -> list[PostView]:
    """The thread, oldest first; experts labelled anonymously unless ``access`` is committee."""
    posts = list(
        DiscussionPost.objects.filter(jury=jury, work=work)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    numbers: dict[int, int] = {}
    members = set(jury.members.values_list("pk", flat=True))
    rows = []
    for post in posts:
        rows.append(
            PostView(
                label=_author_label(
                    post, jury, viewer=viewer, access=access, numbers=numbers, members=members
                ),
                body=post.body,
                created_at=post.created_at,
                own=post.author_id == viewer.pk,
            )
        )
    return rows


def _author_label(post, jury, *, viewer, access, numbers, members) -> str:
    if access == COMMITTEE:
        return post.author.display_name
    if post.author_id == viewer.pk:
        return _("You")
    if post.author_id == jury.lead_id:
        return _("Panel lead")
    if post.author_id not in members:
        return _("Committee")
    number = numbers.setdefault(post.author_id, len(numbers) + 1)
    return _("Expert %(n)s") % {"n": number}


def consensus_note(jury: Jury, work: Work) -> ConsensusNote | None:
    return ConsensusNote.objects.filter(jury=jury, work=work).select_related("author").first()


def consensus_notes(jury: Jury) -> dict[int, ConsensusNote]:
    """The jury's consensus notes by work id (for the finalist approval page)."""
    return {n.work_id: n for n in ConsensusNote.objects.filter(jury=jury).select_related("author")}


def discussion_counts(jury: Jury) -> dict[int, int]:
    """Messages per work id of the jury's discussions."""
    counts: dict[int, int] = {}
    for work_id in DiscussionPost.objects.filter(jury=jury).values_list("work_id", flat=True):
        counts[work_id] = counts.get(work_id, 0) + 1
    return counts


def led_juries(user: User) -> QuerySet[Jury]:
    return Jury.objects.filter(lead=user, members=user, published_at__isnull=False).select_related(
        "category", "edition"
    )


def lead_allowed_work_ids(jury: Jury, lead: User, work_ids: list[int]) -> set[int]:
    """The works among ``work_ids`` the lead may read and note (no conflict of interest)."""
    work_orgs = work_org_sets(work_ids)
    lead_orgs = expert_org_sets([lead.pk]).get(lead.pk, set())
    barred = {w for w, e in forbidden_pairs(jury, work_ids, [lead.pk]) if e == lead.pk}
    return {w for w in work_ids if w not in barred and not (work_orgs.get(w, set()) & lead_orgs)}


@dataclass
class Distribution:
    bins: list[dict]  # {"label", "mine", "jury", "mine_pct", "jury_pct"}
    n_mine: int
    n_jury: int
    mean_mine: float | None
    mean_jury: float | None
    jury_shown: bool


def expert_juries(user: User, edition) -> list[Jury]:
    """The published juries of ``edition`` that ``user`` sits on."""
    return list(
        Jury.objects.filter(edition=edition, members=user, published_at__isnull=False)
        .select_related("category")
        .order_by("category__order", "level")
    )


def score_distributions(user: User, juries: list[Jury]) -> list[tuple[Jury, Distribution]]:
    """``score_distribution`` of each of ``juries`` where ``user`` has submitted a review.

    The expert's own totals are read through their assignments; each jury's side is the
    cached ``_jury_side`` (so the queue costs the same in a jury of any size)."""
    juries = {j.pk: j for j in juries}
    mine: dict[int, list[float]] = {pk: [] for pk in juries}
    for jury_id, total in _submitted(assignment__jury_id__in=juries, assignment__expert=user):
        mine[jury_id].append(total)
    return [
        (jury, _distribution(mine[pk], _jury_side(pk))) for pk, jury in juries.items() if mine[pk]
    ]


def score_distribution(user: User, jury: Jury) -> Distribution | None:
    """The expert's submitted totals against all submitted totals of the jury, in 10-point
    bins (aggregates only: no expert, work or per-expert figure of the others). None until
    the expert has submitted a review in the jury; the jury's side only once at least
    ``MIN_EXPERTS_FOR_DISTRIBUTION`` experts have submitted."""
    found = score_distributions(user, [jury])
    return found[0][1] if found else None


def _submitted(**scope):
    return Review.objects.filter(
        assignment__forbidden=False, status=ReviewStatus.SUBMITTED, total__isnull=False, **scope
    ).values_list("assignment__jury_id", "total")


@dataclass(frozen=True)
class _JurySide:
    counts: list[int]
    n: int
    mean: float | None
    experts: int


def _jury_side(jury_id: int) -> _JurySide:
    """The histogram of every submitted total of the jury, cached under the jury's count of
    submitted reviews (kept in ``JuryCount``), so a new review shows at once."""
    done = JuryCount.objects.filter(jury_id=jury_id).aggregate(n=Sum("done"))["n"] or 0
    key = f"judging:jury-distribution:{jury_id}:{done}"
    side = cache.get(key)
    if side is None:
        rows = list(
            Review.objects.filter(
                assignment__jury_id=jury_id, assignment__forbidden=False,
                status=ReviewStatus.SUBMITTED, total__isnull=False,
            ).values_list("assignment__expert_id", "total")
        )  # fmt: skip
        totals = [t for _e, t in rows]
        side = _JurySide(
            counts=_histogram(totals),
            n=len(totals),
            mean=round(sum(totals) / len(totals), 1) if totals else None,
            experts=len({e for e, _t in rows}),
        )
        cache.set(key, side, DISTRIBUTION_CACHE_SECONDS)
    return side


def _distribution(mine: list[float], jury: _JurySide) -> Distribution:
    jury_shown = jury.experts >= MIN_EXPERTS_FOR_DISTRIBUTION and jury.n > 0
    mine_counts = _histogram(mine)
    bins = []
    for i in range(BINS):
        low, high = i * 100 // BINS, (i + 1) * 100 // BINS
        bins.append({
            "label": f"{low}–{high}",
            "mine": mine_counts[i],
            "jury": jury.counts[i] if jury_shown else None,
            "mine_pct": round(100 * mine_counts[i] / len(mine)),
            "jury_pct": round(100 * jury.counts[i] / jury.n) if jury_shown else None,
        })  # fmt: skip
    return Distribution(
        bins=bins,
        n_mine=len(mine),
        n_jury=jury.n if jury_shown else 0,
        mean_mine=round(sum(mine) / len(mine), 1),
        mean_jury=jury.mean if jury_shown else None,
        jury_shown=jury_shown,
    )


def _histogram(totals: list[float]) -> list[int]:
    counts = [0] * BINS
    for total in totals:
        counts[min(BINS - 1, max(0, int(total * BINS // 100)))] += 1
    return counts
