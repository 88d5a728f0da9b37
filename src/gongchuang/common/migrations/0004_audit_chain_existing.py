"""Chain the audit events recorded before the hash chain existed (in id order)."""

from django.db import migrations


def seal_existing(apps, schema_editor):
    from gongchuang.common.chain import seal_pending

    seal_pending(
        event_model=apps.get_model("common", "AuditEvent"),
        head_model=apps.get_model("common", "AuditChainHead"),
        batch=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("common", "0003_audit_hash_chain")]
    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop)]
