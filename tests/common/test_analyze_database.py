"""manage.py analyze_database gives the query planner statistics of the real tables."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests.submissions.helpers import art_draft

pytestmark = pytest.mark.django_db


def _work_statistics() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'submissions_work'")
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
                "AND tablename = 'submissions_work'"
            )
        return cursor.fetchone()[0] > 0


def test_command_records_statistics_for_the_works_table(edition, roles, capsys):
    art_draft(edition, roles["student"])
    call_command("analyze_database")
    assert _work_statistics()
    assert "statistics refreshed" in capsys.readouterr().out
