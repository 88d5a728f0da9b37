"""An archived edition's expert review is frozen: every write refused, the results still read."""

import pytest

from gongchuang.common.models import AuditEvent
from gongchuang.judging import services
from gongchuang.judging.enums import SelectionRule
from gongchuang.judging.matching import jury_works
from gongchuang.judging.models import (
    Assignment,
    ConfidentialityPledge,
    ConflictDeclaration,
    FinalistList,
    Jury,
    Review,
)
from gongchuang.judging.selectors import jury_overview, jury_ranking, jury_work_lines
from gongchuang.notifications.models import Notification
from gongchuang.submissions.models import Work
from tests.factories.editions import archive, assert_refused_as_archived
from tests.factories.works import qualified_work, rubric_values

from .helpers import expert, published_jury

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(edition, units, roles):
    """A published jury of three works and three experts (k=2), one review submitted; archived."""
    committee = roles["committee"]
    works = [qualified_work(edition, units["hd_school"], committee=committee) for _ in range(3)]
    experts = [expert(committee=committee, unit=units["cy"]) for _ in range(3)]
    jury = published_jury(edition, experts=experts, committee=committee)
    reviewed = Assignment.objects.filter(jury=jury).select_related("work__category").first()
    services.review_save(
        assignment=reviewed,
        scores=rubric_values(reviewed.work, 8),
        submit=True,
        actor=reviewed.expert,
    )
    archive(edition, actor=committee)
    return {"edition": edition, "jury": jury.pk, "works": works, "experts": experts}


def _jury(p) -> Jury:
    """The jury as a page loads it (with its edition as it is now)."""
    return Jury.objects.select_related("edition", "category").get(pk=p["jury"])


def _open_assignment(p) -> Assignment:
    return Assignment.objects.filter(jury_id=p["jury"], review__isnull=True).first()


def _snapshot(edition) -> dict:
    return {
        "juries": list(
            Jury.objects.values_list("pk", "k", "peer_scores_visible", "solved_at", "published_at")
        ),
        "members": list(Jury.members.through.objects.values_list("jury_id", "user_id")),
        "assignments": list(
            Assignment.objects.order_by("pk").values_list("pk", "expert", "pinned", "forbidden")
        ),
        "reviews": list(Review.objects.values_list("pk", "scores", "status")),
        "states": list(Work.objects.filter(edition=edition).values_list("pk", "state")),
        "others": (
            FinalistList.objects.count(),
            ConfidentialityPledge.objects.count(),
            ConflictDeclaration.objects.count(),
            Notification.objects.count(),
            AuditEvent.objects.count(),
        ),
    }


WRITES = {
    "jury_create": lambda r, p: services.jury_create(
        edition=p["edition"],
        category=p["edition"].categories.get(code="ai_agent"),
        actor=r["committee"],
    ),
    "members": lambda r, p: services.jury_set_members(
        jury=_jury(p), members=p["experts"][:2], actor=r["committee"]
    ),
    "settings": lambda r, p: services.jury_set_peer_scores_visible(
        jury=_jury(p), visible=True, actor=r["committee"]
    ),
    "solve": lambda r, p: services.jury_solve(jury=_jury(p), actor=r["committee"]),
    "publish": lambda r, p: services.jury_publish(jury=_jury(p), actor=r["committee"]),
    "remind": lambda r, p: services.experts_remind(jury=_jury(p), actor=r["committee"]),
    "pin": lambda r, p: services.assignment_pin(
        assignment=_open_assignment(p), pinned=True, actor=r["committee"]
    ),
    "forbid": lambda r, p: services.assignment_forbid(
        jury=_jury(p),
        work=_open_assignment(p).work,
        expert=_open_assignment(p).expert,
        actor=r["committee"],
    ),
    "add": lambda r, p: services.assignment_add(
        jury=_jury(p), work=p["works"][0], expert=p["experts"][0], actor=r["committee"]
    ),
    "extra": lambda r, p: services.assignment_request_extra(
        jury=_jury(p), work=p["works"][0], actor=r["committee"]
    ),
    "review": lambda r, p: services.review_save(
        assignment=_open_assignment(p),
        scores=rubric_values(_open_assignment(p).work, 6),
        submit=True,
        actor=_open_assignment(p).expert,
    ),
    "finalists": lambda r, p: services.finalists_approve(
        jury=_jury(p), level="junior", rule=SelectionRule.COUNT, value=1, actor=r["committee"]
    ),
    "pledge": lambda r, p: services.pledge_accept(expert=p["experts"][0], edition=p["edition"]),
    "conflict_with_work": lambda r, p: services.conflict_declare(
        expert=p["experts"][0],
        work=Work.objects.select_related("edition").get(pk=p["works"][0].pk),
        actor=p["experts"][0],
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_write_on_an_archived_edition_is_refused_and_changes_nothing(roles, past, write):
    assert_refused_as_archived(
        lambda: WRITES[write](roles, past), lambda: _snapshot(past["edition"])
    )


def test_unit_conflict_declared_later_leaves_archived_assignments_alone(past, units):
    """A unit or school conflict spans editions; it removes nothing from an archived one."""
    open_pairs = set(Assignment.objects.filter(review__isnull=True).values_list("pk", flat=True))
    for e in past["experts"]:
        services.conflict_declare(expert=e, unit=units["hd"], actor=e)
    assert ConflictDeclaration.objects.count() == 3
    assert set(Assignment.objects.filter(review__isnull=True).values_list("pk", flat=True)) == (
        open_pairs
    )


def test_archived_jury_overview_and_ranking_still_read(past):
    jury = _jury(past)
    overview = jury_overview(jury)
    lines = jury_work_lines(jury, jury_works(jury))
    assert (overview.covered, overview.n_works, [line.n for line in lines]) == (3, 3, [2, 2, 2])
    ranking = jury_ranking(jury, n_boot=0)
    scored = [row for rows in ranking.groups.values() for row in rows if row.n_submitted]
    assert (ranking.n_reviews, [(row.n_submitted, row.raw_mean) for row in scored]) == (
        1,
        [(1, 80.0)],
    )
