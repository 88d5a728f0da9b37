"""On PostgreSQL, the database itself refuses UPDATE and DELETE on audit events."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION gongchuang_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER common_auditevent_append_only
    BEFORE UPDATE OR DELETE ON common_auditevent
    FOR EACH ROW EXECUTE FUNCTION gongchuang_audit_append_only();
CREATE TRIGGER common_auditevent_no_truncate
    BEFORE TRUNCATE ON common_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION gongchuang_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS common_auditevent_append_only ON common_auditevent;
DROP TRIGGER IF EXISTS common_auditevent_no_truncate ON common_auditevent;
DROP FUNCTION IF EXISTS gongchuang_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
