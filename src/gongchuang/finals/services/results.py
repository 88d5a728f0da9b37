"""Results of the final: computed, locked, special awards, published (awards, certificates)."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.notifications.services import notify_kind
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work

from ..awards import confirmed_finalists, ensure_award_list_absent, ensure_award_list_final
from ..enums import StarLevel
from ..models import Certificate, FinalEvent, FinalResult, SpecialAward
from ..scoring import result_rows
from ..selectors import withdrawn_work_ids
from .base import ensure_writable

# (award text as printed on the certificate, star level or "", special award or None)
Award = tuple[str, str, SpecialAward | None]


def results_compute(*, event: FinalEvent, actor) -> list[FinalResult]:
    """(Re)compute every finalist's scores, rank and star level. Refused once locked."""
    ensure_writable(event)
    if event.is_locked:
        raise DomainError(_("The results are locked; unlock them first."), code="locked")
    edition = event.edition
    withdrawn = withdrawn_work_ids(event)
    works = list(confirmed_finalists(edition).exclude(pk__in=withdrawn).select_related("category"))
    rows = result_rows(event, works)

    now = timezone.now()
    with transaction.atomic():
        FinalResult.objects.filter(event=event).exclude(work_id__in=rows).delete()
        results = []
        for work_id, row in rows.items():
            result, _created = FinalResult.objects.update_or_create(
                event=event,
                work_id=work_id,
                defaults={**row, "computed_at": now},
            )
            results.append(result)
        audit_record(
            actor=actor,
            action="final.results_compute",
            obj=event,
            after={"results": len(results)},
            edition_id=edition.pk,
        )
    return results


def results_lock(*, event: FinalEvent, actor) -> FinalEvent:
    ensure_writable(event)
    with transaction.atomic():
        locked = FinalEvent.objects.select_for_update().get(pk=event.pk)
        if locked.is_locked:
            return locked
        if not locked.results.exists():
            raise DomainError(_("Compute the results before locking them."))
        locked.results_locked_at = timezone.now()
        locked.save(update_fields=["results_locked_at"])
        audit_record(actor=actor, action="final.results_lock", obj=locked)
    return locked


def results_unlock(*, event: FinalEvent, actor, reason: str) -> FinalEvent:
    ensure_writable(event)
    if not reason.strip():
        raise DomainError(_("Give the reason for unlocking the results."))
    with transaction.atomic():
        locked = FinalEvent.objects.select_for_update().get(pk=event.pk)
        if locked.is_published:
            raise DomainError(_("Published results cannot be unlocked."))
        if not locked.is_locked:
            return locked
        ensure_award_list_absent(locked.edition)
        before = locked.results_locked_at.isoformat()
        locked.results_locked_at = None
        locked.save(update_fields=["results_locked_at"])
        audit_record(
            actor=actor,
            action="final.results_unlock",
            obj=locked,
            before={"locked_at": before},
            after={"locked_at": None},
            reason=reason,
        )
    return locked


def special_award_create(
    *, event: FinalEvent, name: str, work: Work, citation: str = "", actor
) -> SpecialAward:
    ensure_writable(event)
    if event.is_published:
        raise DomainError(_("The results are already published."))
    ensure_award_list_absent(event.edition)
    if work.edition_id != event.edition_id or work.state != WorkState.FINALIST:
        raise DomainError(_("Special awards go to finalist works of this edition."))
    with transaction.atomic():
        award, created = SpecialAward.objects.get_or_create(
            event=event,
            name=name.strip(),
            work=work,
            defaults={"citation": citation, "created_by": actor},
        )
        if created:
            audit_record(actor=actor, action="final.special_award", obj=work, after={"award": name})
    return award


def results_publish(*, event: FinalEvent, actor) -> FinalEvent:
    """Publish locked results once the award list is confirmed final (公示结束): finalists
    become awarded (a star level or a special award) or participated; certificates are
    issued to authors and advisors; people are notified."""
    ensure_writable(event)
    with transaction.atomic():
        locked = FinalEvent.objects.select_for_update().get(pk=event.pk)
        if locked.is_published:
            raise DomainError(_("The results are already published."))
        if not locked.is_locked:
            raise DomainError(_("Lock the results before publishing them."))
        ensure_award_list_final(locked.edition)
        stars = {r.work_id: r.star_level for r in locked.results.all()}
        specials: dict[int, list[SpecialAward]] = defaultdict(list)
        for award in locked.special_awards.all():
            specials[award.work_id].append(award)
        finalists = (
            confirmed_finalists(locked.edition)
            .select_related("edition")
            .prefetch_related("authorships__user")
        )
        today = timezone.localdate()
        for work in finalists:
            awards = _awards_of(stars.get(work.pk, ""), specials.get(work.pk, []))
            target = WorkState.AWARDED if awards else WorkState.PARTICIPATED
            transition_work(work, target, actor=actor, reason=_("Final results published."))
            _issue_certificates(locked, work, awards, issued_on=today)
            _notify_result(locked, work, awards)
        locked.results_published_at = timezone.now()
        locked.save(update_fields=["results_published_at"])
        audit_record(actor=actor, action="final.results_publish", obj=locked)
    return locked


def _awards_of(star: str, specials: list[SpecialAward]) -> list[Award]:
    """A work's awards, its star level first, named in Chinese as the certificates print them."""
    with translation.override("zh-hans"):
        awards: list[Award] = [(str(StarLevel(star).label), star, None)] if star else []
    return awards + [(special.name, "", special) for special in specials]


def _issue_certificates(
    event: FinalEvent, work: Work, awards: list[Award], *, issued_on: datetime.date
) -> None:
    """One certificate per author and advisor per award (none twice for the same award)."""
    for label, level, special in awards:
        for authorship in work.authorships.all():
            Certificate.objects.get_or_create(
                event=event,
                work=work,
                user=authorship.user,
                award=label,
                defaults={
                    "role": authorship.role,
                    "star_level": level,
                    "special_award": special,
                    "issued_on": issued_on,
                },
            )


def _notify_result(event: FinalEvent, work: Work, awards: list[Award]) -> None:
    """Tell the work's authors and advisors its result (its awards, or that it took part)."""
    with translation.override("zh-hans"):
        result_text = "、".join(label for label, _level, _special in awards) or str(
            WorkState.PARTICIPATED.label
        )
    notify_kind(
        recipients=[a.user for a in work.authorships.all()],
        kind="results.published",
        context={"edition": event.edition.name, "title": work.title, "result": result_text},
        url="/final/my/",
    )
