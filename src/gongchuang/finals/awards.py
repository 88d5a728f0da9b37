"""The award list's publicity (公示) gates the final's results; corrections after it.

Order: results computed → locked → award list in publicity → confirmed final →
``results_publish`` (works awarded, certificates issued). A confirmed list is never
edited: a later correction is a new audited decision with a reason that revokes the
work's certificates and issues new ones.
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.editions.rules import ensure_edition_writable
from gongchuang.publicity.enums import ListKind
from gongchuang.publicity.lists import format_end
from gongchuang.publicity.selectors import award_list, final_works
from gongchuang.submissions.enums import WorkState

from .enums import StarLevel
from .models import Certificate, FinalEvent, FinalResult


def ensure_award_list_final(edition) -> None:
    """Refuse (Chinese reason) unless the edition's award list is confirmed final."""
    publicity = award_list(edition)
    if publicity is None:
        raise DomainError(
            _("Publish the award list for publicity (公示) before publishing the results."),
            code="no_award_list",
        )
    if not publicity.is_final:
        raise DomainError(
            _(
                "The award list is in publicity until %(end)s; publish the results once "
                "the committee has confirmed it final."
            )
            % {"end": format_end(publicity)},
            code="award_list_not_final",
        )


def ensure_award_list_absent(edition) -> None:
    """Locked results that are on an award list no longer change (unlock, special awards)."""
    if award_list(edition) is not None:
        raise DomainError(
            _("The award list is published; the results it lists no longer change."),
            code="award_list_published",
        )


def _issue(event: FinalEvent, work, label: str, level: str) -> list[Certificate]:
    today = timezone.localdate()
    return [
        Certificate.objects.create(
            event=event,
            work=work,
            user=authorship.user,
            award=label,
            role=authorship.role,
            star_level=level,
            issued_on=today,
        )
        for authorship in work.authorships.select_related("user")
    ]


@transaction.atomic
def award_correct(*, event: FinalEvent, work, star_level: str, actor, reason: str):
    """Correct a published work's star level: a new audited decision with a reason; the
    old star certificates are revoked and new ones (new codes) issued."""
    ensure_edition_writable(event.edition)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the correction."), code="no_reason")
    if not event.is_published:
        raise DomainError(
            _("Only published results are corrected; before that the award list is in publicity."),
            code="not_published",
        )
    if star_level not in StarLevel.values:
        raise DomainError(_("Choose a star level."), code="bad_level")
    result = FinalResult.objects.select_for_update().filter(event=event, work=work).first()
    if result is None or work.state != WorkState.AWARDED:
        raise DomainError(_("Only awarded works of this final are corrected."), code="not_awarded")
    if result.star_level == star_level:
        raise DomainError(_("The work already has this star level."), code="unchanged")
    before = result.star_level
    old = list(
        Certificate.objects.select_for_update().filter(
            event=event, work=work, special_award__isnull=True, revoked_at__isnull=True
        )
    )
    now = timezone.now()
    for certificate in old:
        certificate.revoked_at = now
        certificate.save(update_fields=["revoked_at"])
    result.star_level = star_level
    result.save(update_fields=["star_level"])
    with translation.override("zh-hans"):
        issued = _issue(event, work, str(StarLevel(star_level).label), star_level)
    audit_record(
        actor=actor,
        action="final.award_correct",
        obj=work,
        before={"star_level": before, "certificates": [c.code for c in old]},
        after={"star_level": star_level, "certificates": [c.code for c in issued]},
        reason=reason,
        edition_id=event.edition_id,
    )
    return issued


def confirmed_finalists(edition):
    """Finalist works on a finalist list confirmed final: the works the final is about."""
    return final_works(edition, ListKind.FINALIST).filter(state=WorkState.FINALIST)


def ensure_finalist_listed(work) -> None:
    """A finalist's part of the final (check-in, task, scores) starts only once its finalist
    list's publicity is over and the committee confirmed it final."""
    if not final_works(work.edition_id, ListKind.FINALIST).filter(pk=work.pk).exists():
        raise DomainError(
            _(
                "The finalist list of %(code)s is not confirmed final yet (publicity and "
                "objections first); its part of the final cannot start."
            )
            % {"code": work.code or work.title},
            code="finalist_list_not_final",
        )
