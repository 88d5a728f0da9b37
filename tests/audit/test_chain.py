"""The audit trail's hash chain (common/chain.py): sealed after commit, verified by
``manage.py verify_results``, which names the first broken link."""

import itertools
import threading

import pytest
from django.db import connection, transaction

from gongchuang.common.audit import audit_record
from gongchuang.common.chain import GENESIS, event_hash, seal_pending, verify_chain
from gongchuang.common.models import AppendOnlyError, AuditChainHead, AuditEvent

from .verify_helpers import raw_sql, run_verify


def _events(roles, n=4):
    return [audit_record(actor=roles["committee"], action=f"test.step{i}") for i in range(n)]


@pytest.mark.django_db
def test_sealing_chains_events_in_id_order_from_the_genesis_hash(roles):
    _first, second = _events(roles, 2)
    before = AuditEvent.objects.filter(chain_seq__isnull=True).count()

    sealed = seal_pending()

    assert sealed == before
    rows = list(AuditEvent.objects.order_by("chain_seq"))
    assert [e.chain_seq for e in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.chain_hash for a, b in itertools.pairwise(rows))
    assert rows[-1].pk == second.pk
    assert rows[-1].chain_hash == event_hash(rows[-1], seq=len(rows), prev_hash=rows[-2].chain_hash)
    head = AuditChainHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (len(rows), rows[-1].chain_hash)
    assert seal_pending() == 0


@pytest.mark.django_db
def test_seal_fields_are_written_once_and_content_stays_append_only(roles):
    (event,) = _events(roles, 1)
    seal_pending()
    event = AuditEvent.objects.get(pk=event.pk)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(chain_hash="f" * 64)
    with pytest.raises(AppendOnlyError):
        event.save()


@pytest.mark.django_db(transaction=True)
def test_audited_transaction_is_sealed_after_it_commits(roles):
    with transaction.atomic():
        one = audit_record(actor=roles["committee"], action="test.one")
        two = audit_record(actor=roles["committee"], action="test.two")
        assert AuditEvent.objects.get(pk=one.pk).chain_seq is None
    rows = AuditEvent.objects.filter(pk__in=[one.pk, two.pk]).order_by("pk")
    assert [r.chain_seq is not None for r in rows] == [True, True]
    assert rows[1].chain_seq == rows[0].chain_seq + 1
    assert AuditEvent.objects.filter(chain_seq__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_leaves_nothing_and_the_next_one_is_sealed(roles):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=roles["committee"], action="test.lost")
        raise RuntimeError
    with transaction.atomic():
        kept = audit_record(actor=roles["committee"], action="test.kept")
    assert AuditEvent.objects.get(pk=kept.pk).chain_seq is not None
    assert not AuditEvent.objects.filter(action="test.lost").exists()


@pytest.mark.django_db
def test_intact_chain_after_a_sequence_of_actions_reports_no_difference(roles, edition):
    _events(roles, 5)

    status, lines, summary = run_verify(edition.slug)

    assert (status, lines) == (0, [])
    assert summary["differences"] == 0
    assert summary["checked"] == AuditEvent.objects.count()
    assert verify_chain().unsealed == 0


@pytest.mark.django_db
def test_event_edited_in_the_database_is_the_first_broken_link(roles, edition):
    events = _events(roles, 4)
    seal_pending()
    target = events[1]
    raw_sql(
        "UPDATE common_auditevent SET reason = %s WHERE id = %s", ["改过", target.pk], audit=True
    )

    status, lines, summary = run_verify(edition.slug)

    seq = AuditEvent.objects.get(pk=target.pk).chain_seq
    assert status == 1
    assert lines == [
        f"audit event {target.pk} (position {seq}): first broken link — "
        "its content does not match its hash (altered)"
    ]
    assert summary == {"edition": edition.slug, "checked": seq, "differences": 1}


@pytest.mark.django_db
def test_deleted_event_is_reported_at_the_next_link(roles, edition):
    events = _events(roles, 4)
    seal_pending()
    gone, after = events[1], events[2]
    seq = AuditEvent.objects.get(pk=gone.pk).chain_seq
    raw_sql("DELETE FROM common_auditevent WHERE id = %s", [gone.pk], audit=True)

    status, lines, _summary = run_verify(edition.slug)

    assert status == 1
    assert lines == [
        f"audit event {after.pk} (position {seq + 1}): first broken link — positions "
        f"{seq}..{seq} are missing after event {events[0].pk} (events deleted)"
    ]


@pytest.mark.django_db
def test_replaced_event_with_a_recomputed_hash_breaks_the_next_link(roles, edition):
    events = _events(roles, 3)
    seal_pending()
    target = AuditEvent.objects.get(pk=events[1].pk)
    target.reason = "伪造"
    forged = event_hash(target, seq=target.chain_seq, prev_hash=target.prev_hash)
    raw_sql(
        "UPDATE common_auditevent SET reason = %s, chain_hash = %s WHERE id = %s",
        ["伪造", forged, target.pk],
        audit=True,
    )

    status, lines, _summary = run_verify(edition.slug)

    assert status == 1
    assert lines == [
        f"audit event {events[2].pk} (position {target.chain_seq + 1}): first broken link — "
        f"its previous hash does not match event {target.pk} (that event was altered or replaced)"
    ]


@pytest.mark.django_db
def test_deleting_the_newest_event_is_noticed_by_the_head(roles, edition):
    events = _events(roles, 3)
    seal_pending()
    last_seq = AuditEvent.objects.get(pk=events[-1].pk).chain_seq
    raw_sql("DELETE FROM common_auditevent WHERE id = %s", [events[-1].pk], audit=True)

    status, lines, _summary = run_verify(edition.slug)

    assert status == 1
    assert lines == [
        f"audit chain: head is at position {last_seq} but the last event found is at position "
        f"{last_seq - 1} (event {events[-2].pk}); the newest events were removed"
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_audited_transactions_leave_an_intact_chain_on_postgres(roles):
    """Eight threads, each committing audited transactions (two events each) at once:
    every event is sealed exactly once and the chain verifies."""
    barrier = threading.Barrier(8)
    errors = []

    def work(i):
        try:
            barrier.wait()
            for j in range(10):
                with transaction.atomic():
                    audit_record(actor=None, action=f"test.t{i}.{j}.a")
                    audit_record(actor=None, action=f"test.t{i}.{j}.b")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seal_pending()

    assert errors == []
    assert AuditEvent.objects.filter(action__startswith="test.t").count() == 160
    assert AuditEvent.objects.filter(chain_seq__isnull=True).count() == 0
    report = verify_chain()
    assert report.broken == []
    assert report.checked == AuditEvent.objects.count()


@pytest.mark.postgres
@pytest.mark.django_db
def test_trigger_allows_the_seal_once_and_nothing_else_on_postgres(roles):
    from django.db import DatabaseError

    (event,) = _events(roles, 1)
    seal_pending()
    for sql in (
        "UPDATE common_auditevent SET chain_hash = 'x' WHERE id = %s",
        "UPDATE common_auditevent SET chain_seq = NULL, prev_hash = NULL, chain_hash = NULL "
        "WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    unsealed = audit_record(actor=None, action="test.unsealed")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE common_auditevent SET chain_seq = 999999, prev_hash = 'a', "
                "chain_hash = 'b', reason = 'changed' WHERE id = %s",
                [unsealed.pk],
            )
