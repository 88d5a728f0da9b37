"""Every list page runs the same number of SQL queries with 10 and with 1,000 rows.

Rows are bulk-created (benchmark-style data in their final states, not workflows):
the point is the page's query shape, not the services. Each case requests its page
once to warm the session, measures at 10 rows, tops the data up to 1,000 rows and
measures again; the two counts must be equal (no N+1 anywhere on the page).
"""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongchuang.accounts.enums import Level
from gongchuang.accounts.models import User
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 1000
_seq = itertools.count(1)


def bulk_works(edition, count, *, state, unit, school, category="ai_art", author=None, **fields):
    """``count`` works (one shared creator unless ``author``), codes given after the draft state."""
    category = edition.categories.get(code=category)
    creator = (
        author
        or User.objects.get_or_create(username="bulkcreator", defaults={"real_name": "批量"})[0]
    )
    start = next(_seq) * 10_000
    works = Work.objects.bulk_create(
        [
            Work(
                edition=edition,
                category=category,
                title=f"批量作品{start + i}",
                abstract="摘要",
                keywords="AI",
                level=fields.get("level", Level.JUNIOR),
                unit=unit,
                school=school,
                created_by=creator,
                state=state,
                code="" if state == WorkState.DRAFT else f"Q-{start + i}",
                originality_pledge=True,
                ai_tools="文心一格",
                ai_generated="草图",
                submitted_at=None if state == WorkState.DRAFT else timezone.now(),
                is_public=fields.get("is_public", False),
                showcase_consent=fields.get("is_public", False),
            )
            for i in range(count)
        ]
    )
    Authorship.objects.bulk_create(
        [
            Authorship(
                work=w,
                edition=edition,
                user=creator,
                role=AuthorRole.AUTHOR,
                identity_key=f"bulk-{w.pk}",
                accepted_at=timezone.now(),
                holds_slot=False,
            )
            for w in works
        ]
    )
    return works


# --------------------------------------------------------------- cases
# Each case: (login role or None, setup(ctx) -> url, grow(ctx, n) adds n rows).


def _works_case(
    role, url, *, state, unit_key="hd", school_key="hd_school", author_role=None, **fields
):
    def setup(ctx):
        return url

    def grow(ctx, n):
        author = ctx["roles"][author_role] if author_role else None
        bulk_works(
            ctx["edition"],
            n,
            state=state,
            unit=ctx["units"][unit_key],
            school=ctx["units"][school_key],
            author=author,
            **fields,
        )

    return role, setup, grow


def _recounted(case):
    """``case`` whose bulk rows (written without the services) are then counted for the
    dashboard's kept figures, as ``generate_load_data`` does."""
    role, setup, grow = case

    def grow_and_count(ctx, n):
        from gongchuang.reports.counts import rebuild

        grow(ctx, n)
        rebuild([ctx["edition"].pk])

    return role, setup, grow_and_count


def _jury(ctx):
    from gongchuang.judging.models import Jury
    from gongchuang.judging.services import pledge_accept

    edition = ctx["edition"]
    jury, _ = Jury.objects.get_or_create(
        edition=edition,
        category=edition.categories.get(code="ai_art"),
        level="",
        defaults={"published_at": timezone.now()},
    )
    jury.members.add(ctx["roles"]["expert"])
    pledge_accept(expert=ctx["roles"]["expert"], edition=edition)
    return jury


def _grow_assignments(ctx, n, *, reviewed=False):
    from gongchuang.judging.models import Assignment, Review

    jury = _jury(ctx)
    works = bulk_works(
        ctx["edition"],
        n,
        state=WorkState.QUALIFIED,
        unit=ctx["units"]["hd"],
        school=ctx["units"]["hd_school"],
    )
    assignments = Assignment.objects.bulk_create(
        [Assignment(jury=jury, work=w, expert=ctx["roles"]["expert"], source="auto") for w in works]
    )
    if reviewed:
        Review.objects.bulk_create(
            [
                Review(
                    assignment=a,
                    scores={},
                    total=80.0,
                    status="submitted",
                    submitted_at=timezone.now(),
                )
                for a in assignments
            ]
        )


def _expert_queue():
    return "expert", lambda ctx: "/judging/queue/", _grow_assignments


def _jury_page(suffix):
    def setup(ctx):
        return f"/judging/juries/{_jury(ctx).pk}/{suffix}"

    return "committee", setup, lambda ctx, n: _grow_assignments(ctx, n, reviewed=True)


def _inbox():
    def grow(ctx, n):
        from gongchuang.notifications.models import Notification

        Notification.objects.bulk_create(
            [
                Notification(
                    recipient=ctx["roles"]["student"],
                    kind="test",
                    title=f"通知{i}",
                    body="正文",
                    url="/",
                )
                for i in range(n)
            ]
        )

    return "student", lambda ctx: "/inbox/", grow


def _audit_log():
    def grow(ctx, n):
        from gongchuang.common.models import AuditEvent

        actor = ctx["roles"]["committee"]
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    actor=actor,
                    actor_label="组委会",
                    action="test.event",
                    object_id=str(i),
                    object_repr=f"对象{i}",
                    edition_id=ctx["edition"].pk,
                    after={"i": i},
                )
                for i in range(n)
            ]
        )

    return "committee", lambda ctx: "/audit/", grow


def _notices():
    def grow(ctx, n):
        from gongchuang.portal.models import Notice

        Notice.objects.bulk_create(
            [
                Notice(
                    edition=ctx["edition"],
                    title=f"通知公告{i}",
                    body="正文",
                    body_html="<p>正文</p>",
                    status="published",
                    published_at=timezone.now(),
                    created_by=ctx["roles"]["committee"],
                )
                for i in range(n)
            ]
        )

    return None, lambda ctx: "/notices/", grow


def _publicity_list():
    def setup(ctx):
        from gongchuang.publicity.models import PublicityList

        now = timezone.now()
        ctx["list"], _ = PublicityList.objects.get_or_create(
            edition=ctx["edition"],
            kind="finalist",
            defaults={
                "title": "入围名单",
                "published_at": now,
                "ends_at": now + timezone.timedelta(days=5),
                "published_by": ctx["roles"]["committee"],
            },
        )
        return f"/publicity/{ctx['list'].pk}/"

    return None, setup, _listed_finalists


def _listed_finalists(ctx, n):
    """``n`` more finalist works of HD on the case's publicity list; their entries."""
    from gongchuang.publicity.models import PublicityEntry

    works = bulk_works(
        ctx["edition"],
        n,
        state=WorkState.FINALIST,
        unit=ctx["units"]["hd"],
        school=ctx["units"]["hd_school"],
    )
    return PublicityEntry.objects.bulk_create(
        [PublicityEntry(publicity_list=ctx["list"], work=w, order=w.pk) for w in works]
    )


def _objection_queue():
    def setup(ctx):
        _publicity_list()[1](ctx)
        return "/publicity/manage/objections/"

    def grow(ctx, n):
        from gongchuang.publicity.models import Objection

        entries = _listed_finalists(ctx, n)
        Objection.objects.bulk_create(
            [
                Objection(
                    entry=e,
                    objector=ctx["roles"]["student_b"],
                    reason="疑似抄袭",
                    contact="13900000000",
                )
                for e in entries
            ]
        )

    return "committee", setup, grow


CASES = {
    "my_works": _works_case("student", "/works/", state=WorkState.DRAFT, author_role="student"),
    "coordinator_list": _works_case("coordinator", "/works/school/", state=WorkState.SUBMITTED),
    "unit_queue": _works_case("organizer", "/screening/unit/", state=WorkState.SUBMITTED),
    "city_queue": _works_case("committee", "/screening/city/", state=WorkState.RECOMMENDED),
    "expert_queue": _expert_queue(),
    "jury_page": _jury_page(""),
    "ranking": _jury_page("ranking/"),
    "showcase": _works_case(None, "/showcase/", state=WorkState.AWARDED, is_public=True),
    "teaching_cases": _works_case(
        None, "/teaching-cases/", state=WorkState.AWARDED, is_public=True, category="teaching_case"
    ),
    "results": _works_case(None, "/results/", state=WorkState.AWARDED, is_public=True),
    "reports_dashboard": _recounted(
        _works_case("committee", "/reports/", state=WorkState.SUBMITTED)
    ),
    "notices_list": _notices(),
    "inbox": _inbox(),
    "audit_log": _audit_log(),
    "publicity_list": _publicity_list(),
    "objection_queue": _objection_queue(),
}

# What shows that the rows really are on the page (default: a bulk work's title).
MARKERS = {
    "notices_list": "通知公告",
    "inbox": "通知",
    "audit_log": "对象",
    "objection_queue": "objection-row",
    "reports_dashboard": 'data-testid="total-works">1000<',
}


@pytest.mark.parametrize("name", list(CASES))
def test_list_page_query_count_is_independent_of_rows(
    name, client, edition, units, roles, settings
):
    # Anonymous pages cache their fragments: measure the queries of a real render each time.
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    settings.CACHES = {"default": dummy, "local": dummy}
    role, setup, grow = CASES[name]
    ctx = {"edition": edition, "units": units, "roles": roles}
    url = setup(ctx)
    if role:
        client.force_login(roles[role])
    grow(ctx, SMALL)
    assert client.get(url).status_code == 200  # warms the session, templates and catalogues
    counts = []
    for target in (SMALL, LARGE):
        if target > SMALL:
            grow(ctx, target - SMALL)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(queries))
    marker = MARKERS.get(name, "批量作品")
    assert marker in response.text, f"{name}: the rows are not on the page"
    assert counts[0] == counts[1], (
        f"{name}: {counts[0]} queries at {SMALL} rows, {counts[1]} at {LARGE}"
    )
