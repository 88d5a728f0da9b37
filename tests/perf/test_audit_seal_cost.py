"""What the hash chain costs a submission: nothing inside its transaction, one small seal after.

The seal runs after commit (``common.chain.seal_after_commit``), once per transaction
however many events it wrote: lock the chain head, read the unsealed events, one UPDATE
per event, move the head.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongchuang.common.chain import _seal_quietly, seal_pending
from gongchuang.common.models import AuditEvent
from gongchuang.submissions import services
from tests.submissions.helpers import complete_art_work


@pytest.mark.django_db
def test_submission_adds_no_query_inside_its_transaction_and_one_small_seal_after(edition, roles):
    work = complete_art_work(edition, roles["student"])
    seal_pending()  # the set-up's events, unsealed because the test's transaction never commits
    before = AuditEvent.objects.count()

    with CaptureQueriesContext(connection) as submit:
        services.work_submit(work=work, actor=roles["student"])
    events = AuditEvent.objects.count() - before
    with CaptureQueriesContext(connection) as seal:
        seal_pending()

    audit_inserts = [q for q in submit.captured_queries if "INSERT INTO" in q["sql"] and
                     "common_auditevent" in q["sql"]]  # fmt: skip
    assert len(audit_inserts) == events == 1
    # The seal is queued once per transaction, however many events it writes.
    queued = [entry for entry in connection.run_on_commit if entry[1] is _seal_quietly]
    assert len(queued) == 1
    statements = [q["sql"].split()[0] for q in seal.captured_queries]
    # savepoint, head FOR UPDATE, unsealed events, one UPDATE per event, head, release
    assert statements == ["SAVEPOINT", "SELECT", "SELECT", "UPDATE", "UPDATE", "RELEASE"]
    assert AuditEvent.objects.filter(chain_seq__isnull=True).count() == 0
