"""What the jury, assignment and finalist services share."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from gongchuang.accounts.models import User
from gongchuang.editions.enums import Step
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.notifications.services import notify_kind

from ..models import Assignment, Jury


def ensure_jury_writable(jury: Jury) -> None:
    """Every write to a jury, its assignments, reviews or finalists checks this first:
    an archived edition's review is read-only."""
    ensure_edition_writable(jury.edition)


def tell_experts_assigned(jury: Jury, *, only=None, count: int | None = None) -> None:
    """Tell experts what they have to review (committee-editable template ``review.assigned``)."""
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
