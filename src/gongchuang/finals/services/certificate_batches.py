"""Bulk certificate downloads: a background batch renders a unit's (or all) PDFs into a ZIP."""

from django.db import transaction
from django.utils.translation import gettext as _

from gongchuang.accounts.enums import Role
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError

from ..models import CertificateBatch, FinalEvent
from ..tasks import generate_certificates


def certificate_batch_start(*, event: FinalEvent, unit, actor) -> CertificateBatch:
    """Queue the generation of the certificates of one unit (or all) into a ZIP."""
    if not event.is_published:
        raise DomainError(_("Certificates are available once the results are published."))
    if unit is None and not actor.is_committee:
        raise DomainError(_("Choose your unit."), code="forbidden")
    if (
        unit is not None
        and not actor.is_committee
        and unit.pk not in actor.unit_ids_for(Role.UNIT_ORGANIZER)
    ):
        raise DomainError(_("Choose your unit."), code="forbidden")
    with transaction.atomic():
        batch = CertificateBatch.objects.create(event=event, unit=unit, requested_by=actor)
        audit_record(
            actor=actor,
            action="final.certificate_batch",
            obj=event,
            after={"unit": unit.code if unit else "all"},
        )
        transaction.on_commit(lambda: generate_certificates.enqueue(batch.pk))
    return batch
