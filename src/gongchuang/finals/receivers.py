"""Keep certificates honest when a work loses its award (e.g. an objection upheld)."""

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from gongchuang.common.audit import audit_record
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.signals import work_state_changed

from .models import Certificate

REVOKING_STATES = frozenset({WorkState.DISQUALIFIED, WorkState.NOT_SELECTED})


@receiver(work_state_changed, dispatch_uid="finals_revoke_certificates")
def revoke_certificates(sender, work, actor=None, reason="", **kwargs):
    """A disqualified work's certificates stop verifying (the public check shows 未找到)."""
    if work.state not in REVOKING_STATES:
        return
    with transaction.atomic():
        certificates = list(
            Certificate.objects.select_for_update().filter(work=work, revoked_at__isnull=True)
        )
        now = timezone.now()
        for certificate in certificates:
            certificate.revoked_at = now
            certificate.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor,
                action="final.certificate_revoke",
                obj=certificate,
                reason=reason,
                edition_id=work.edition_id,
            )
