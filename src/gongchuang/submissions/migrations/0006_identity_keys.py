"""Compute the person keys of existing students and their authorships (conflicts reported)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from gongchuang.accounts.identity_backfill import backfill_identity_keys

    backfill_identity_keys(
        profile_model=apps.get_model("accounts", "StudentProfile"),
        authorship_model=apps.get_model("submissions", "Authorship"),
        audit_model=apps.get_model("common", "AuditEvent"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0005_one_work_per_person"),
        ("accounts", "0003_student_identity_documents"),
        ("common", "0002_audit_append_only_trigger"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
