"""The expert's review: drafts, submission and later edits, checked against the rubric."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.accounts.models import User
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.enums import Step
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.editions.scale import score_scale

from .. import counts
from ..enums import ReviewStatus
from ..models import Assignment, Review
from ..scoring import weighted_total
from ..selectors import review_is_final, rubric_of


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

    Scores are validated against the category's rubric (whole numbers on the edition's
    scale, ``editions.scale``, one per dimension; all required to submit). Submission and
    every later edit are audited. In a jury that shows peers' scores, a submitted review
    is final.
    """
    assignment = _lock_own_assignment(assignment, actor=actor)
    rubric = rubric_of(assignment.work.category)
    clean = _clean_scores(scores, rubric, scale=score_scale(assignment.jury.edition))
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
    submitted = submit or was_submitted
    if submitted and set(clean) != {str(d.pk) for d in rubric}:
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
    if submitted:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = review.submitted_at or timezone.now()
    review.save()
    counts.review_saved(assignment, submitted=submitted, was_submitted=was_submitted)
    if submitted:
        audit_record(
            actor=actor,
            action="review.edit" if was_submitted else "review.submit",
            obj=review,
            before=before,
            after={"scores": clean, "total": review.total, "status": review.status},
            edition_id=assignment.jury.edition_id,
        )
    return review


def review_draft_save(
    *,
    assignment: Assignment,
    scores: dict,
    comment_to_committee: str = "",
    comment_to_authors: str = "",
    actor: User,
) -> Review:
    """Autosave of the review form: keep the draft as typed (not audited, like any draft).

    Refused once the review is submitted: a submitted review changes only through
    ``review_save``, which audits the edit.
    """
    existing = Review.objects.filter(assignment=assignment).first()
    if existing is not None and existing.is_submitted:
        raise DomainError(
            _("This review is submitted; save changes with the button."), code="submitted"
        )
    return review_save(
        assignment=assignment,
        scores=scores,
        comment_to_committee=comment_to_committee,
        comment_to_authors=comment_to_authors,
        submit=False,
        actor=actor,
    )


def _lock_own_assignment(assignment: Assignment, *, actor: User) -> Assignment:
    """The assignment, row-locked, if it is ``actor``'s and the review window is open."""
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
    return assignment


def _clean_scores(scores: dict, rubric: list, *, scale: tuple[int, int]) -> dict[str, int]:
    """The given scores keyed by dimension id; blanks dropped, anything else refused."""
    ids = {str(d.pk) for d in rubric}
    low, high = scale
    bad = _("Scores must be whole numbers from %(min)s to %(max)s.") % {"min": low, "max": high}
    clean: dict[str, int] = {}
    for key, value in scores.items():
        if value in (None, ""):
            continue
        if str(key) not in ids:
            raise DomainError(_("Unknown rubric dimension."), code="bad_dimension")
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise DomainError(bad, code="bad_score") from exc
        if not low <= number <= high or str(number) != str(value).strip():
            raise DomainError(bad, code="bad_score")
        clean[str(key)] = number
    return clean
