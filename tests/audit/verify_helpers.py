"""Running ``manage.py verify_results`` in tests, and editing rows behind the application's back."""

import io
import json

from django.core.management import call_command
from django.db import connection


def run_verify(slug: str) -> tuple[int, list[str], dict]:
    """(exit status, difference lines, summary) of ``verify_results slug``."""
    out = io.StringIO()
    try:
        call_command("verify_results", slug, stdout=out, stderr=io.StringIO())
        status = 0
    except SystemExit as exc:
        status = exc.code
    lines = out.getvalue().strip().splitlines()
    return status, lines[:-1], json.loads(lines[-1])


def raw_sql(sql: str, params: list, *, audit: bool = False) -> None:
    """Run ``sql`` directly; ``audit``: on PostgreSQL, with the append-only trigger off (as
    someone who can bypass it would), inside the test's transaction so it comes back on."""
    with connection.cursor() as cursor:
        if audit and connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE common_auditevent DISABLE TRIGGER common_auditevent_append_only"
            )
        cursor.execute(sql, params)
        if audit and connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE common_auditevent ENABLE TRIGGER common_auditevent_append_only"
            )
