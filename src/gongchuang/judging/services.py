"""Writes of the expert review: experts, conflicts, juries, assignments, reviews, finalists.

Every service is keyword-only, transactional and audited. Permission checks
are the caller's (views), except the rules of the activity itself (review
window, conflicts, blind review), which live here.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.enums import Role
from gongchuang.accounts.models import School, Unit, User
from gongchuang.accounts.services import membership_grant
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Category, Edition
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.notifications.services import notify_kind
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work

from . import assignment as solver
from .enums import (
    PLEDGE_VERSION,
    SCORE_MAX,
    SCORE_MIN,
    AssignmentSource,
    ReviewStatus,
    SelectionRule,
)
from .matching import conflicted_experts, jury_problem, jury_works
from .models import (
    Assignment,
    ConfidentialityPledge,
    ConflictDeclaration,
    ExpertProfile,
    FinalistEntry,
    FinalistList,
    Jury,
    Review,
)


def _ensure_writable(jury: Jury) -> None:
    """Every write to a jury, its assignments, reviews or finalists checks this first:
    an archived edition's review is read-only."""
    ensure_edition_writable(jury.edition)


# ---------------------------------------------------------------- experts


@transaction.atomic
def expert_upsert(
    *,
    real_name: str,
    mobile: str,
    email: str,
    organisation: str = "",
    unit: Unit | None = None,
    school: School | None = None,
    expertise: str = "",
    categories: list[str] | None = None,
    levels: list[str] | None = None,
    max_load: int = 30,
    actor,
) -> User:
    """Create (or update, matched by mobile number) an expert account and profile.

    New accounts get an unusable password: the expert sets one through
    "forgot password" with the e-mail address from the spreadsheet.
    """
    user = User.objects.filter(mobile=mobile).first() if mobile else None
    if user is None and email:
        user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(
            username=mobile or f"expert-{secrets.token_hex(4)}",
            real_name=real_name,
            mobile=mobile,
            email=email,
        )
        user.set_unusable_password()
        user.save()
        audit_record(actor=actor, action="expert.create", obj=user, after={"name": real_name})
    membership_grant(user=user, role=Role.EXPERT, actor=actor)
    fields = {
        "organisation": organisation,
        "unit": unit,
        "school": school,
        "expertise": expertise,
        "categories": list(categories or []),
        "levels": list(levels or []),
        "max_load": max_load,
    }
    profile, created = ExpertProfile.objects.update_or_create(user=user, defaults=fields)
    audit_record(
        actor=actor,
        action="expert.profile_create" if created else "expert.profile_update",
        obj=profile,
        after={
            "organisation": organisation,
            "unit": unit.pk if unit else None,
            "school": school.pk if school else None,
            "expertise": expertise,
            "categories": fields["categories"],
            "levels": fields["levels"],
            "max_load": max_load,
        },
    )
    return user


@transaction.atomic
def conflict_declare(
    *,
    expert: User,
    school: School | None = None,
    unit: Unit | None = None,
    work: Work | None = None,
    reason: str = "",
    actor,
) -> ConflictDeclaration:
    """Record a conflict of interest; unreviewed, unpinned assignments it hits are removed."""
    if sum(x is not None for x in (school, unit, work)) != 1:
        raise DomainError(_("Choose exactly one school, unit or work."), code="conflict_target")
    if work is not None:
        ensure_edition_writable(work.edition)
    declaration = ConflictDeclaration.objects.create(
        expert=expert, school=school, unit=unit, work=work, reason=reason
    )
    audit_record(
        actor=actor,
        action="conflict.declare",
        obj=declaration,
        after={"school": school and school.pk, "unit": unit and unit.pk, "work": work and work.pk},
        reason=reason,
    )
    # Archived editions' assignments stay as they were (a school or unit conflict spans editions).
    hit = Assignment.objects.filter(
        expert=expert, forbidden=False, review__isnull=True, jury__edition__archived_at__isnull=True
    )
    if work is not None:
        hit = hit.filter(work=work)
    elif school is not None:
        hit = hit.filter(work__school=school)
    else:
        hit = hit.filter(work__unit=unit)
    hit.filter(pinned=False).delete()
    return declaration


@transaction.atomic
def pledge_accept(*, expert: User, edition: Edition) -> ConfidentialityPledge:
    ensure_edition_writable(edition)
    pledge, created = ConfidentialityPledge.objects.get_or_create(
        expert=expert,
        edition=edition,
        text_version=PLEDGE_VERSION,
        defaults={"accepted_at": timezone.now()},
    )
    if created:
        audit_record(
            actor=expert,
            action="pledge.accept",
            obj=pledge,
            after={"version": PLEDGE_VERSION},
            edition_id=edition.pk,
        )
    return pledge


# ---------------------------------------------------------------- juries


@transaction.atomic
def jury_create(
    *,
    edition: Edition,
    category: Category,
    level: str = "",
    k: int | None = None,
    min_load: int = 0,
    members: Iterable[User] = (),
    actor,
) -> Jury:
    """A jury for one category (optionally one level); k defaults to the edition's setting."""
    ensure_edition_writable(edition)
    if category.edition_id != edition.pk:
        raise DomainError(_("This category belongs to another edition."), code="category")
    k = k or int(edition.settings.get("reviews_per_work", 3))
    try:
        with transaction.atomic():
            jury = Jury.objects.create(
                edition=edition, category=category, level=level, k=k, min_load=min_load
            )
    except IntegrityError as exc:
        raise DomainError(
            _("A jury for this category and level already exists."), code="jury_exists"
        ) from exc
    members = list(members)
    jury.members.set(members)
    audit_record(
        actor=actor,
        action="jury.create",
        obj=jury,
        after={
            "category": category.code,
            "level": level,
            "k": k,
            "members": [m.pk for m in members],
        },
    )
    return jury


@transaction.atomic
def jury_set_members(*, jury: Jury, members: Iterable[User], actor) -> Jury:
    """Change a jury's experts; experts who already have reviews in it cannot be removed."""
    _ensure_writable(jury)
    members = list(members)
    before = sorted(jury.members.values_list("pk", flat=True))
    keep = set(
        Assignment.objects.filter(jury=jury, review__isnull=False).values_list(
            "expert_id", flat=True
        )
    )
    missing = keep - {m.pk for m in members}
    if missing:
        raise DomainError(
            _("Experts who have already reviewed works of this jury cannot be removed."),
            code="member_has_reviews",
        )
    jury.members.set(members)
    removed = set(before) - {m.pk for m in members}
    Assignment.objects.filter(jury=jury, expert_id__in=removed).delete()
    audit_record(
        actor=actor,
        action="jury.members",
        obj=jury,
        before={"members": before},
        after={"members": sorted(m.pk for m in members)},
    )
    return jury


@transaction.atomic
def jury_set_peer_scores_visible(*, jury: Jury, visible: bool, actor) -> Jury:
    """Show (or hide) other experts' scores to an expert who has submitted a review.

    What exactly is shown is ``peers.peer_scores``. Only a real change is audited.
    """
    _ensure_writable(jury)
    jury = Jury.objects.select_for_update().get(pk=jury.pk)
    before = jury.peer_scores_visible
    if before == visible:
        return jury
    jury.peer_scores_visible = visible
    jury.save(update_fields=["peer_scores_visible"])
    audit_record(
        actor=actor,
        action="jury.settings",
        obj=jury,
        before={"peer_scores_visible": before},
        after={"peer_scores_visible": visible},
    )
    return jury


@transaction.atomic
def jury_solve(*, jury: Jury, actor) -> dict:
    """Solve the jury's assignment optimally and store it.

    Pairs that are pinned or already have a review (draft or submitted) are
    kept; every other automatic or manual pair is replaced by the solution.
    Returns the summary also stored in ``jury.solve_summary``.
    """
    _ensure_writable(jury)
    jury = Jury.objects.select_for_update().get(pk=jury.pk)
    jp = jury_problem(jury)
    if not jp.expert_ids:
        raise DomainError(_("Add experts to the jury before assigning works."), code="no_experts")
    if not jp.work_ids:
        raise DomainError(_("This jury has no qualified works yet."), code="no_works")
    result = solver.solve(jp.problem)
    kept_ids = {a.pk for a in jp.kept}
    Assignment.objects.filter(jury=jury, forbidden=False).exclude(pk__in=kept_ids).delete()
    kept_pairs = {(a.work_id, a.expert_id) for a in jp.kept}
    new = []
    for wi, ei in zip(result.work_idx.tolist(), result.expert_idx.tolist(), strict=True):
        pair = (jp.work_ids[wi], jp.expert_ids[ei])
        if pair in kept_pairs:
            continue
        new.append(
            Assignment(
                jury=jury,
                work_id=pair[0],
                expert_id=pair[1],
                source=AssignmentSource.AUTO,
                affinity=float(jp.affinity[wi, ei]),
            )
        )
    Assignment.objects.bulk_create(new)
    summary = {
        "objective": result.objective_float,
        "optimal": result.optimal,
        "works": len(jp.work_ids),
        "experts": len(jp.expert_ids),
        "pairs": int(result.work_idx.size),
        "kept": len(jp.kept),
        "uncovered": int(result.uncovered_works.size),
        "min_load_met": result.min_load_met,
        "connected": solver.is_connected(
            result.work_idx, result.expert_idx, len(jp.work_ids), len(jp.expert_ids)
        ),
        "build_s": round(result.build_s, 4),
        "solve_s": round(result.solve_s, 4),
    }
    jury.solved_at = timezone.now()
    jury.solve_summary = summary
    jury.save(update_fields=["solved_at", "solve_summary"])
    audit_record(actor=actor, action="jury.solve", obj=jury, after=summary)
    return summary


@transaction.atomic
def jury_publish(*, jury: Jury, actor) -> Jury:
    """Make the jury's assignments visible to its experts and tell them."""
    _ensure_writable(jury)
    if not Assignment.objects.filter(jury=jury, forbidden=False).exists():
        raise DomainError(_("Assign works before publishing."), code="nothing_assigned")
    first = jury.published_at is None
    jury.published_at = timezone.now()
    jury.save(update_fields=["published_at"])
    audit_record(actor=actor, action="jury.publish", obj=jury)
    if first:
        _tell_experts_assigned(jury)
    return jury


@transaction.atomic
def assignment_pin(*, assignment: Assignment, pinned: bool, actor) -> Assignment:
    _ensure_writable(assignment.jury)
    if assignment.forbidden:
        raise DomainError(_("A forbidden pair cannot be pinned."), code="forbidden")
    assignment.pinned = pinned
    assignment.save(update_fields=["pinned"])
    audit_record(
        actor=actor,
        action="assignment.pin" if pinned else "assignment.unpin",
        obj=assignment,
        edition_id=assignment.jury.edition_id,
    )
    return assignment


@transaction.atomic
def assignment_forbid(*, jury: Jury, work: Work, expert: User, actor) -> Assignment:
    """Never give ``work`` to ``expert`` in this jury (drops the pair unless reviewed)."""
    _ensure_writable(jury)
    existing = (
        Assignment.objects.select_for_update().filter(jury=jury, work=work, expert=expert).first()
    )
    if existing is not None and Review.objects.filter(assignment=existing).exists():
        raise DomainError(
            _("This expert has already reviewed the work; the pair cannot be forbidden."),
            code="has_review",
        )
    if existing is None:
        existing = Assignment(jury=jury, work=work, expert=expert)
    existing.forbidden, existing.pinned, existing.affinity = True, False, 0.0
    existing.save()
    audit_record(actor=actor, action="assignment.forbid", obj=existing, edition_id=jury.edition_id)
    return existing


@transaction.atomic
def assignment_add(
    *, jury: Jury, work: Work, expert: User, actor, source: str = AssignmentSource.MANUAL
) -> Assignment:
    """Give ``work`` to one more expert by hand (pinned, so re-solving keeps it)."""
    _ensure_writable(jury)
    if work.pk not in set(jury_works(jury).values_list("pk", flat=True)):
        raise DomainError(_("This work is not judged by this jury."), code="not_in_jury")
    if not jury.members.filter(pk=expert.pk).exists():
        raise DomainError(_("This expert is not a member of the jury."), code="not_member")
    if expert.pk in conflicted_experts(work, [expert.pk]):
        raise DomainError(
            _("This expert has a conflict of interest with the work."), code="conflict"
        )
    existing = Assignment.objects.filter(jury=jury, work=work, expert=expert).first()
    if existing is not None and existing.forbidden:
        raise DomainError(_("The committee forbade this pair."), code="forbidden")
    if existing is not None:
        raise DomainError(_("This expert already has the work."), code="duplicate")
    try:
        with transaction.atomic():
            added = Assignment.objects.create(
                jury=jury, work=work, expert=expert, pinned=True, source=source
            )
    except IntegrityError as exc:  # the same pair added at the same moment
        raise DomainError(_("This expert already has the work."), code="duplicate") from exc
    audit_record(
        actor=actor,
        action="assignment.add",
        obj=added,
        after={"source": source},
        edition_id=jury.edition_id,
    )
    return added


@transaction.atomic
def assignment_request_extra(*, jury: Jury, work: Work, actor) -> Assignment:
    """One more expert for ``work``, chosen by the solver.

    The work's current experts are pinned and k is raised by one for this
    work alone; the other experts' spare load (max load minus current load)
    bounds the choice, so the best-matching non-conflicted expert with room
    is added (pinned, source "extra"). The jury row is locked, so two
    requests at once add two different experts.
    """
    jury = (
        Jury.objects.select_for_update(of=("self",))
        .select_related("edition", "category")
        .get(pk=jury.pk)
    )
    _ensure_writable(jury)
    jp = jury_problem(jury)
    if work.pk not in jp.work_ids:
        raise DomainError(_("This work is not judged by this jury."), code="not_in_jury")
    wi = jp.work_ids.index(work.pk)
    current = set(
        Assignment.objects.filter(jury=jury, work=work, forbidden=False).values_list(
            "expert_id", flat=True
        )
    )
    loads = np.zeros(len(jp.expert_ids), np.int64)
    e_index = {e: i for i, e in enumerate(jp.expert_ids)}
    for e in Assignment.objects.filter(jury=jury, forbidden=False).values_list(
        "expert_id", flat=True
    ):
        if e in e_index:
            loads[e_index[e]] += 1
    max_load = np.broadcast_to(np.asarray(jp.problem.max_load), loads.shape)
    row = jp.conflicts.getrow(wi).toarray().ravel() if jp.conflicts.shape[1] else np.zeros(0)
    candidates = [
        i
        for i, e in enumerate(jp.expert_ids)
        if e not in current and not row[i] and loads[i] < max_load[i]
    ]
    if not candidates:
        raise DomainError(
            _("No further expert without a conflict and with spare capacity is available."),
            code="no_expert",
        )
    pinned = [e_index[e] for e in current if e in e_index]
    problem = solver.AssignmentProblem(
        n_works=1,
        n_experts=len(jp.expert_ids),
        k=len(pinned) + 1,
        work_idx=np.zeros(len(candidates), np.int64),
        expert_idx=np.array(candidates, np.int64),
        affinity=jp.affinity[wi, candidates],
        max_load=np.maximum(max_load - loads, 0) + np.isin(np.arange(len(loads)), pinned),
        pinned_work=np.zeros(len(pinned), np.int64),
        pinned_expert=np.array(pinned, np.int64),
    )
    result = solver.solve(problem)
    chosen = [int(e) for e in result.expert_idx.tolist() if int(e) not in pinned]
    if not chosen:
        raise DomainError(
            _("No further expert without a conflict and with spare capacity is available."),
            code="no_expert",
        )
    expert = User.objects.get(pk=jp.expert_ids[chosen[0]])
    added = assignment_add(
        jury=jury, work=work, expert=expert, actor=actor, source=AssignmentSource.EXTRA
    )
    Assignment.objects.filter(pk=added.pk).update(affinity=float(jp.affinity[wi, chosen[0]]))
    if jury.published_at:
        _tell_experts_assigned(jury, only=[expert], count=1)
    return added


def experts_remind(*, jury: Jury, actor) -> int:
    """Remind the experts of a published jury who still have unsubmitted reviews."""
    from django.urls import reverse

    _ensure_writable(jury)

    pending: dict[int, int] = {}
    for a in Assignment.objects.filter(jury=jury, forbidden=False).select_related("review"):
        if not (hasattr(a, "review") and a.review.is_submitted):
            pending[a.expert_id] = pending.get(a.expert_id, 0) + 1
    experts = list(User.objects.filter(pk__in=pending))
    window = jury.edition.window(Step.EXPERT_REVIEW)
    deadline = timezone.localtime(window.closes_at).strftime("%Y-%m-%d %H:%M") if window else "—"
    with transaction.atomic():
        for expert in experts:
            notify_kind(
                recipients=[expert],
                kind="judging.reminder",
                context={"jury": str(jury), "count": str(pending[expert.pk]), "deadline": deadline},
                url=reverse("judging:queue"),
            )
        audit_record(actor=actor, action="jury.remind", obj=jury, after={"experts": len(experts)})
    return len(experts)


# ---------------------------------------------------------------- reviews


def rubric_of(category: Category):
    return list(category.rubric.all())


def weighted_total(rubric, scores: dict[str, int]) -> float | None:
    """0–100: scores 1–10 weighted by the dimensions' weights; None until all are scored."""
    if not rubric or any(str(d.pk) not in scores for d in rubric):
        return None
    weight = sum(d.weight for d in rubric) or 1
    return round(sum(scores[str(d.pk)] * d.weight for d in rubric) * 10 / weight, 2)


def review_is_final(review: Review | None, jury: Jury) -> bool:
    """A submitted review in a jury that shows peers' scores can no longer change: having
    seen the others' scores (peers.py), the expert could anchor their own after all."""
    return review is not None and review.is_submitted and jury.peer_scores_visible


@transaction.atomic
def review_save(
    *,
    assignment: Assignment,
    scores: dict,
    comment_to_committee: str = "",
    comment_to_authors: str = "",
    submit: bool,
    actor: User,
) -> Review:
    """Save a draft or submit the expert's review (editable until the window closes).

    Scores are validated against the category's rubric (integers 1–10, one per
    dimension; all required to submit). Submission and every later edit are audited. In a
    jury that shows peers' scores, a submitted review is final.
    """
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("jury__edition", "work__category")
        .get(pk=assignment.pk)
    )
    if assignment.expert_id != actor.pk or assignment.forbidden:
        raise DomainError(_("This work is not assigned to you."), code="not_assigned")
    edition = assignment.jury.edition
    ensure_edition_writable(edition)
    if not edition.is_open(Step.EXPERT_REVIEW):
        raise DomainError(_("The expert review window is closed."), code="window_closed")
    rubric = rubric_of(assignment.work.category)
    ids = {str(d.pk) for d in rubric}
    clean: dict[str, int] = {}
    for key, value in scores.items():
        if value in (None, ""):
            continue
        if str(key) not in ids:
            raise DomainError(_("Unknown rubric dimension."), code="bad_dimension")
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise DomainError(
                _("Scores must be whole numbers from 1 to 10."), code="bad_score"
            ) from exc
        if not SCORE_MIN <= number <= SCORE_MAX or str(number) != str(value).strip():
            raise DomainError(_("Scores must be whole numbers from 1 to 10."), code="bad_score")
        clean[str(key)] = number
    review = Review.objects.filter(assignment=assignment).first()
    was_submitted = review is not None and review.is_submitted
    if review_is_final(review, assignment.jury):
        raise DomainError(
            _(
                "This jury shows the other experts' scores once a review is submitted, so a "
                "submitted review can no longer be changed."
            ),
            code="final_after_peers",
        )
    if submit or was_submitted:
        if set(clean) != ids:
            raise DomainError(_("Score every dimension before submitting."), code="incomplete")
    before = (
        {"scores": review.scores, "total": review.total, "status": review.status}
        if review
        else None
    )
    if review is None:
        review = Review(assignment=assignment)
    review.scores = clean
    review.total = weighted_total(rubric, clean)
    review.comment_to_committee = comment_to_committee
    review.comment_to_authors = comment_to_authors
    if submit or was_submitted:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = review.submitted_at or timezone.now()
    review.save()
    if was_submitted or submit:
        audit_record(
            actor=actor,
            action="review.edit" if was_submitted else "review.submit",
            obj=review,
            before=before,
            after={"scores": clean, "total": review.total, "status": review.status},
            edition_id=edition.pk,
        )
    return review


# ---------------------------------------------------------------- finalists


def selection_count(rule: str, value: float, n: int) -> int:
    """How many works a rule selects out of ``n`` (shares round up: 30 % of 7 → 3)."""
    if rule == SelectionRule.SHARE:
        if not 0 < value <= 100:
            raise DomainError(_("The share must be between 0 and 100 %."), code="bad_share")
        return min(n, math.ceil(n * value / 100 - 1e-9))
    if value < 0 or value != int(value):
        raise DomainError(
            _("The number of finalists must be a whole number ≥ 0."), code="bad_count"
        )
    return min(n, int(value))


@transaction.atomic
def finalists_approve(
    *, jury: Jury, level: str, rule: str, value: float, actor: User
) -> FinalistList:
    """Approve the finalists of one group (the jury's category × ``level``).

    Works whose reviews are complete move qualified → reviewed, then the
    selected ones (including every work tied with the last one) → finalist and
    the others → not_selected, through ``transition_work`` (authors are
    notified). Refused while a work of the group still lacks reviews.
    """
    from .selectors import finalist_preview

    _ensure_writable(jury)
    if FinalistList.objects.filter(
        edition_id=jury.edition_id, category_id=jury.category_id, level=level
    ).exists():
        raise DomainError(
            _("The finalists of this group have already been approved."), code="already"
        )
    preview = finalist_preview(jury=jury, level=level, rule=rule, value=value)
    if preview.incomplete:
        raise DomainError(
            _("%(n)s works of this group still lack submitted reviews.")
            % {"n": len(preview.incomplete)},
            code="incomplete",
        )
    if not preview.rows:
        raise DomainError(_("There are no reviewed works in this group."), code="empty")
    edition = jury.edition
    try:
        with transaction.atomic():
            finalist_list = FinalistList.objects.create(
                edition=edition,
                category=jury.category,
                level=level,
                rule=rule,
                value=value,
                approved_at=timezone.now(),
                approved_by=actor,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("The finalists of this group have already been approved."), code="already"
        ) from exc
    works = {
        w.pk: w
        for w in Work.objects.select_for_update().filter(pk__in=[r.work_id for r in preview.rows])
    }
    reason = _("Finalist selection: %(rule)s %(value)s") % {
        "rule": SelectionRule(rule).label,
        "value": f"{value:g}",
    }
    for row in preview.rows:
        work = works[row.work_id]
        if work.state == WorkState.QUALIFIED:
            work = transition_work(
                work, WorkState.REVIEWED, actor=actor, reason=_("Expert review complete")
            )
        if row.selected:
            transition_work(work, WorkState.FINALIST, actor=actor, reason=reason)
            FinalistEntry.objects.create(
                finalist_list=finalist_list, work=work, rank=row.rank, score=row.calibrated
            )
        else:
            transition_work(work, WorkState.NOT_SELECTED, actor=actor, reason=reason)
    audit_record(
        actor=actor,
        action="finalists.approve",
        obj=finalist_list,
        after={
            "rule": rule,
            "value": value,
            "selected": [r.work_id for r in preview.rows if r.selected],
            "method": preview.method,
        },
    )
    return finalist_list


__all__ = [
    "assignment_add",
    "assignment_forbid",
    "assignment_pin",
    "assignment_request_extra",
    "conflict_declare",
    "expert_upsert",
    "experts_remind",
    "finalists_approve",
    "jury_create",
    "jury_publish",
    "jury_set_members",
    "jury_set_peer_scores_visible",
    "jury_solve",
    "pledge_accept",
    "review_is_final",
    "review_save",
]


def _tell_experts_assigned(jury: Jury, *, only=None, count: int | None = None) -> None:
    """Tell experts what they have to review (committee-editable template ``review.assigned``)."""
    from django.db.models import Count
    from django.urls import reverse

    window = jury.edition.window(Step.EXPERT_REVIEW)
    deadline = timezone.localtime(window.closes_at).strftime("%Y-%m-%d %H:%M") if window else "—"
    rows = Assignment.objects.filter(jury=jury, forbidden=False)
    if only is not None:
        rows = rows.filter(expert__in=only)
    counts = dict(rows.values_list("expert").annotate(n=Count("id")).values_list("expert", "n"))
    for expert in User.objects.filter(pk__in=counts):
        notify_kind(
            recipients=[expert],
            kind="review.assigned",
            context={
                "name": expert.display_name,
                "edition": jury.edition.name,
                "count": str(count if count is not None else counts[expert.pk]),
                "deadline": deadline,
            },
            url=reverse("judging:queue"),
        )
