"""Bulk certificate downloads: a background batch renders a unit's (or all) PDFs into a ZIP."""

from django.db import transaction
from django.utils.translation import gettext as _

from gongchuang.accounts.access import require
from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError

from ..models import CertificateBatch, FinalEvent
from ..tasks import generate_certificates


def certificate_batch_start(*, event: FinalEvent, unit, actor) -> CertificateBatch:
    """Queue the generation of the certificates of one unit (or all) into a ZIP."""
    if not event.is_published:
        raise DomainError(_("Certificates are available once the results are published."))
    require(actor, "finals.generate_certificates", unit, message=_("Choose your unit."))
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
