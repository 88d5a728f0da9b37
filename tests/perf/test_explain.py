"""The staff lists read the rows they show: their main query's plan sorts nothing.

The lists: the committee's and the unit's screening queues (every ordering offered), the
jury page's works, the objection queue, the audit log and the inbox; the expert's queue
sorts only its own expert's assignments (a load of about 30), reached through the expert's
index (its own test below). Their counts are capped (``common.paginator``).

Each case requests the page once, captures its main query (the ``LIMIT`` query on the
listed table) and asks the database for its plan. An index that delivers the page's order
lets the database stop after the page's rows; without one it reads every matching row
(at 100,000 works the committee's queue sorted 32,000 of them to show 25).

- SQLite (``EXPLAIN QUERY PLAN``) must not "USE TEMP B-TREE FOR ORDER BY" (nor for its
  right part) after ``ANALYZE``: with its statistics SQLite picks the index by cost.
- PostgreSQL (``EXPLAIN (FORMAT JSON)``) must have no Sort node above the listed table (an
  Incremental Sort over rows already in the order of its leading key is not a full sort).
  A few thousand test rows fit in a handful of pages, where a sequential scan and a top-N
  sort honestly are cheapest; ``enable_seqscan = off`` stands in for an edition of 100,000
  works (where the index wins on cost), so the plan shows whether an index delivers the
  order (a bitmap scan + Sort still fails the test).
"""

import json

import pytest
from django.db import connection
from django.utils import timezone

from gongchuang.common.db.maintenance import analyze_database
from gongchuang.judging.models import Jury
from gongchuang.submissions.enums import WorkState

from .test_query_counts import bulk_works

pytestmark = pytest.mark.django_db

# A real edition's proportions (generate_load_data): most works submitted or further.
STATES = [
    (WorkState.SUBMITTED, 600),
    (WorkState.RECOMMENDED, 300),
    (WorkState.QUALIFIED, 300),
    (WorkState.CITY_REJECTED, 40),
    (WorkState.REVIEWED, 240),
    (WorkState.DRAFT, 160),
]


@pytest.fixture
def edition_rows(edition, units, roles):
    """About 1,600 works over two districts and two categories, 2,000 audit events,
    200 objections and 300 notifications for each of five people, with planner statistics."""
    from gongchuang.common.models import AuditEvent
    from gongchuang.judging.matching import jury_works
    from gongchuang.judging.models import Assignment
    from gongchuang.judging.services import pledge_accept
    from gongchuang.notifications.models import Notification
    from gongchuang.publicity.models import Objection, PublicityEntry, PublicityList

    for state, n in STATES:
        for unit, category in (("hd", "ai_art"), ("cy", "ai_agent")):
            school = units[f"{unit}_school"]
            bulk_works(
                edition, n // 2, state=state, unit=units[unit], school=school, category=category
            )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=roles["committee"],
                actor_label="组委会",
                action="work.submit",
                object_id=str(i),
                object_repr=f"对象{i}",
                edition_id=edition.pk,
            )
            for i in range(2000)
        ]
    )
    now = timezone.now()
    publicity = PublicityList.objects.create(
        edition=edition,
        kind="finalist",
        title="入围名单",
        published_at=now,
        ends_at=now + timezone.timedelta(days=5),
        published_by=roles["committee"],
    )
    works = bulk_works(
        edition, 200, state=WorkState.FINALIST, unit=units["hd"], school=units["hd_school"]
    )
    entries = PublicityEntry.objects.bulk_create(
        [PublicityEntry(publicity_list=publicity, work=w, order=i) for i, w in enumerate(works)]
    )
    Objection.objects.bulk_create(
        [
            Objection(
                entry=e,
                objector=roles["student_b"],
                reason="疑似抄袭",
                contact="139",
                state=("received", "investigating", "dismissed", "upheld")[i % 4],
            )
            for i, e in enumerate(entries)
        ]
    )
    Notification.objects.bulk_create(
        [
            Notification(recipient=roles[who], kind="test", title=f"通知{i}", body="正文")
            for who in ("student", "student_b", "teacher", "coordinator", "organizer")
            for i in range(300)
        ]
    )
    jury = Jury.objects.create(
        edition=edition,
        category=edition.categories.get(code="ai_art"),
        level="",
        published_at=now,
    )
    jury.members.add(roles["expert"])
    pledge_accept(expert=roles["expert"], edition=edition)
    judged = jury_works(jury)
    Assignment.objects.bulk_create(
        [
            Assignment(jury=jury, work_id=pk, expert=roles["expert"], source="auto")
            for pk in judged.values_list("pk", flat=True)[:30]
        ]
    )
    # Another expert's much larger load: the queue must read only its own expert's rows.
    Assignment.objects.bulk_create(
        [
            Assignment(jury=jury, work_id=pk, expert=roles["committee"], source="auto")
            for pk in judged.values_list("pk", flat=True)
        ]
    )
    analyze_database()
    return edition


WORK = "submissions_work"
# name: (user, path, table listed). Every ordering the screening queues offer, their
# default (pending works) and "all states", and one filter.
CASES = {
    "city_default": ("committee", "/screening/city/", WORK),
    "city_all_states": ("committee", "/screening/city/?state=", WORK),
    "city_code_desc": ("committee", "/screening/city/?state=&sort=-code", WORK),
    "city_title": ("committee", "/screening/city/?state=&sort=title", WORK),
    "city_submitted": ("committee", "/screening/city/?state=&sort=submitted", WORK),
    "city_submitted_desc": ("committee", "/screening/city/?state=&sort=-submitted", WORK),
    "city_by_state": ("committee", "/screening/city/?state=&sort=state", WORK),
    "city_qualified": ("committee", "/screening/city/?state=qualified", WORK),
    "city_last_page": ("committee", "/screening/city/?state=&page=last", WORK),
    "unit_default": ("organizer", "/screening/unit/", WORK),
    "unit_submitted": ("organizer", "/screening/unit/?state=submitted", WORK),
    "audit_log": ("committee", "/audit/", "common_auditevent"),
    "objection_queue": ("committee", "/publicity/manage/objections/", "publicity_objection"),
    "objection_queue_all": (
        "committee",
        "/publicity/manage/objections/?state=",
        "publicity_objection",
    ),
    "inbox": ("student", "/inbox/", "notifications_notification"),
    "jury_works": ("committee", "/judging/juries/{jury}/", WORK),
    "jury_works_page_2": ("committee", "/judging/juries/{jury}/?page=2", WORK),
    # The jury page's other two lists (issue 21): its experts, in the membership index's
    # order, and the experts who may join, in the (role, user) index of the memberships.
    "jury_experts": ("committee", "/judging/juries/{jury}/", "judging_jury_members"),
    "jury_candidates": ("committee", "/judging/juries/{jury}/", "accounts_membership"),
}


def main_query(client, path: str, table: str) -> tuple[str, list]:
    """The page's ``SELECT … FROM table … ORDER BY … LIMIT`` (its rows), with parameters."""
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    found = [
        (sql, params)
        for sql, params in captured
        if sql.startswith("SELECT")
        and f'FROM "{table}"' in sql
        and " LIMIT " in sql
        and "ORDER BY" in sql
        and "COUNT(" not in sql
    ]
    assert found, f"{path}: no list query on {table}"
    return found[-1]


def postgresql_plan(cursor, sql: str, params) -> list[dict]:
    """PostgreSQL's JSON plan of ``sql`` with sequential scans off (see the module's note)."""
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
    plan = cursor.fetchone()[0]
    cursor.execute("RESET enable_seqscan")
    return json.loads(plan) if isinstance(plan, str) else plan


def sqlite_plan(cursor, sql: str, params) -> str:
    """SQLite's ``EXPLAIN QUERY PLAN`` of ``sql``, one line per step."""
    cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
    return "\n".join(str(row[-1]) for row in cursor.fetchall())


def sorts_over(node: dict, table: str) -> list[str]:
    """The full sorts in a PostgreSQL JSON plan with a scan of ``table`` below them."""

    def scans(n: dict) -> bool:
        return n.get("Relation Name") == table or any(scans(c) for c in n.get("Plans", []))

    found = []
    # An Incremental Sort with a presorted key reads in index order and sorts only the rows
    # that tie on it (the code is unique in an edition: none); any other sort reads them all.
    full = node["Node Type"] == "Sort" or (
        node["Node Type"] == "Incremental Sort" and not node.get("Presorted Key")
    )
    if full and scans(node):
        found.append(f"{node['Node Type']} by {node.get('Sort Key')}")
    for child in node.get("Plans", []):
        found += sorts_over(child, table)
    return found


@pytest.mark.parametrize("name", list(CASES))
def test_list_query_reads_in_index_order(name, client, edition_rows, roles):
    user, path, table = CASES[name]
    path = path.format(jury=Jury.objects.values_list("pk", flat=True).first())
    client.force_login(roles[user])
    client.get(path)  # warm the session and the caches
    sql, params = main_query(client, path, table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            plan = postgresql_plan(cursor, sql, params)
            assert sorts_over(plan[0]["Plan"], table) == [], json.dumps(plan, indent=1)
        else:
            plan = sqlite_plan(cursor, sql, params)
            assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
            assert "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY" not in plan, plan


def scans_of(node: dict, table: str) -> list[dict]:
    """The plan nodes (PostgreSQL JSON) that read ``table``."""
    found = [node] if node.get("Relation Name") == table else []
    for child in node.get("Plans", []):
        found += scans_of(child, table)
    return found


def test_expert_queue_reads_only_the_experts_assignments(client, edition_rows, roles):
    """The expert's queue sorts its own assignments (at most the expert's load, about 30) by
    category: the plan must reach them through the expert's index, never by reading the
    edition's assignments (another "expert" here holds every work of the jury)."""
    table = "judging_assignment"
    client.force_login(roles["expert"])
    client.get("/judging/queue/")
    sql, params = main_query(client, "/judging/queue/", table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            plan = postgresql_plan(cursor, sql, params)
            scans = scans_of(plan[0]["Plan"], table)
            conditions = [s.get("Index Cond", "") + s.get("Recheck Cond", "") for s in scans]
            assert scans and all("expert_id" in c for c in conditions), json.dumps(plan, indent=1)
        else:
            plan = sqlite_plan(cursor, sql, params)
            assert f"SEARCH {table} USING INDEX" in plan and "expert_id=" in plan, plan


def _captured(client, path: str) -> list[tuple[str, list]]:
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        assert client.get(path).status_code == 200
    return captured


def test_jury_page_reads_only_the_shown_works_and_experts_assignments(client, edition_rows, roles):
    """Once the whole-jury figures are cached (the first request), the jury page reads the
    assignments of the works and experts it shows only (``IN`` their ids), never the
    jury's."""
    path = f"/judging/juries/{Jury.objects.values_list('pk', flat=True).first()}/"
    client.force_login(roles["committee"])
    client.get(path)  # computes and caches the figures
    reads = [sql for sql, _params in _captured(client, path) if '"judging_assignment"' in sql]
    assert len(reads) == 2, reads
    assert all('"expert_id" IN (' in sql or '"work_id" IN (' in sql for sql in reads), reads


def test_ranking_page_reads_its_page_of_works_by_primary_key(client, edition_rows, roles):
    """Once computed (the first request), the ranking is read from the cache: the page reads
    no assignment nor review, and its works by primary key, at most a page of them."""
    path = f"/judging/juries/{Jury.objects.values_list('pk', flat=True).first()}/ranking/"
    client.force_login(roles["committee"])
    client.get(path)  # computes and caches the ranking
    captured = _captured(client, path)
    assert not [sql for sql, _p in captured if '"judging_assignment"' in sql]
    assert not [sql for sql, _p in captured if '"judging_review"' in sql]
    works = [(sql, p) for sql, p in captured if sql.startswith(f'SELECT "{WORK}"."id"')]
    (sql, params), *_rest = [(sql, p) for sql, p in works if f'"{WORK}"."id" IN (' in sql]
    assert 0 < len(params) <= 50
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            plan = postgresql_plan(cursor, sql, params)
            scans = scans_of(plan[0]["Plan"], WORK)
            assert scans and all("id" in s.get("Index Cond", "") for s in scans), plan
        else:
            plan = sqlite_plan(cursor, sql, params)
            assert f"SEARCH {WORK} USING INTEGER PRIMARY KEY" in plan, plan


def test_dashboard_reads_the_awards_by_key_not_through_the_works(client, edition_rows, roles):
    """The awards table reads the final's results and special awards on their own and then
    their works by primary key: a join of the results to the edition's works let PostgreSQL
    walk every work (a merge join over the primary key, 65–100 ms at 100,000 works) while
    its estimate said a few rows."""
    import datetime

    from gongchuang.finals.models import FinalEvent, FinalResult
    from gongchuang.submissions.models import Work

    event = FinalEvent.objects.create(
        edition=edition_rows,
        name="决赛",
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 7, 2),
        venue="北京",
    )
    work = Work.objects.filter(edition=edition_rows).exclude(state=WorkState.DRAFT).first()
    FinalResult.objects.create(
        event=event, work=work, group_label="艺术", rank=1, star_level="five"
    )
    client.force_login(roles["committee"])
    client.get("/reports/")
    captured = _captured(client, "/reports/")
    awards = [
        sql
        for sql, _params in captured
        if '"finals_finalresult"' in sql or '"finals_specialaward"' in sql
    ]
    assert awards, "the dashboard no longer reads the final's results"
    assert not [sql for sql in awards if f'"{WORK}"' in sql], awards
