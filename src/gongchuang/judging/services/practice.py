"""The judge practice round: the committee's sample works, the experts' practice scores,
and recording an expert's practice bias for the calibration. Audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.editions.scale import score_scale
from gongchuang.submissions.models import Work

from ..models import ExpertProfile, PracticeScore, PracticeWork
from ..selectors.practice import expert_total_bias, practice_work_for_expert


def _clean_scores(edition, rubric, scores: dict, *, what: str) -> dict:
    """Every dimension scored with a whole number on the edition's scale, else DomainError."""
    low, high = score_scale(edition)
    clean = {}
    for d in rubric:
        value = scores.get(str(d.pk))
        if value in (None, ""):
            raise DomainError(
                _("%(what)s: score every dimension (missing: %(name)s).")
                % {"what": what, "name": d.name},
                code="missing",
            )
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise DomainError(
                _("%(name)s: enter a whole number.") % {"name": d.name}, code="bad_score"
            ) from None
        if not low <= value <= high:
            raise DomainError(
                _("%(name)s: the score must be between %(low)s and %(high)s.")
                % {"name": d.name, "low": low, "high": high},
                code="bad_score",
            )
        clean[str(d.pk)] = value
    return clean


@transaction.atomic
def practice_work_add(
    *, edition, category, work_code: str, title: str = "", description: str = "",
    reference: dict, actor,
) -> PracticeWork:  # fmt: skip
    """Add a sample work (an existing work by its code, or a title) with reference scores."""
    ensure_edition_writable(edition)
    if category.edition_id != edition.pk:
        raise DomainError(_("Choose a category of this edition."), code="category")
    work = None
    code = (work_code or "").strip()
    if code:
        work = Work.objects.filter(code__iexact=code).first()
        if work is None:
            raise DomainError(_("No work has the code %(code)s.") % {"code": code}, code="code")
    elif not (title or "").strip():
        raise DomainError(_("Enter a work code or a title."), code="no_work")
    rubric = list(category.rubric.all())
    if not rubric:
        raise DomainError(_("This category has no rubric yet."), code="no_rubric")
    clean = _clean_scores(edition, rubric, reference, what=_("Reference scores"))
    order = PracticeWork.objects.filter(edition=edition).count() + 1
    sample = PracticeWork.objects.create(
        edition=edition, category=category, work=work, title=(title or "").strip(),
        description=(description or "").strip(), reference=clean, created_by=actor, order=order,
    )  # fmt: skip
    audit_record(
        actor=actor, action="practice.add", obj=sample,
        after={"category": category.code, "work": work and work.code, "reference": clean},
        edition_id=edition.pk,
    )  # fmt: skip
    return sample


@transaction.atomic
def practice_work_remove(*, sample: PracticeWork, actor) -> None:
    """Remove a sample work and its practice scores (audited)."""
    ensure_edition_writable(sample.edition)
    before = {"title": sample.display_title, "reference": sample.reference,
              "scores": sample.scores.count()}  # fmt: skip
    audit_record(
        actor=actor, action="practice.remove", obj=sample, before=before,
        edition_id=sample.edition_id,
    )  # fmt: skip
    sample.delete()


@transaction.atomic
def practice_score_submit(*, edition, practice_work_pk, scores: dict, actor) -> PracticeScore:
    """The expert's scores of one of their practice works (once; audited)."""
    ensure_edition_writable(edition)
    sample = practice_work_for_expert(actor, edition, practice_work_pk)
    if PracticeScore.objects.filter(practice_work=sample, expert=actor).exists():
        raise DomainError(_("You have already scored this practice work."), code="done")
    clean = _clean_scores(edition, list(sample.category.rubric.all()), scores, what=_("Scores"))
    score = PracticeScore.objects.create(
        practice_work=sample, expert=actor, scores=clean, submitted_at=timezone.now()
    )
    audit_record(
        actor=actor, action="practice.score", obj=score,
        after={"practice_work": sample.pk, "scores": clean}, edition_id=edition.pk,
    )  # fmt: skip
    return score


@transaction.atomic
def practice_bias_apply(*, edition, expert, actor) -> float:
    """Record the expert's mean signed practice bias (0–100 scale) for the calibration."""
    ensure_edition_writable(edition)
    bias = expert_total_bias(expert, edition)
    if bias is None:
        raise DomainError(_("This expert has no practice scores yet."), code="no_scores")
    profile = ExpertProfile.objects.select_for_update().filter(user=expert).first()
    if profile is None:
        raise DomainError(_("This person has no expert profile."), code="no_profile")
    before = profile.practice_bias
    profile.practice_bias = bias
    profile.save(update_fields=["practice_bias"])
    audit_record(
        actor=actor, action="practice.bias", obj=profile,
        before={"practice_bias": before}, after={"practice_bias": bias}, edition_id=edition.pk,
    )  # fmt: skip
    return bias
