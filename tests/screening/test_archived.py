"""An archived edition's qualification review is closed: decisions refused, records readable."""

import pytest

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import Notification
from gongchuang.screening import selectors, services
from gongchuang.screening.enums import Decision, Stage
from gongchuang.screening.models import PreCheck, Review
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from tests.factories.editions import ARCHIVED, archive

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(edition, units, roles):
    """One submitted and one recommended work of HD, then the edition is archived."""
    submitted = factories.work(edition, unit=units["hd"], school=units["hd_school"])
    recommended = services.work_recommend(
        work=factories.work(edition, unit=units["hd"], school=units["hd_school"]),
        actor=roles["organizer"],
    )
    archive(edition, actor=roles["committee"])
    return {"edition": edition, "submitted": submitted.pk, "recommended": recommended.pk}


def _work(pk) -> Work:
    """The work as a view loads it (with its edition as it is now)."""
    return Work.objects.select_related("edition", "unit").get(pk=pk)


def _snapshot(edition) -> dict:
    return {
        "states": list(Work.objects.filter(edition=edition).values_list("pk", "state")),
        "reviews": Review.objects.count(),
        "prechecks": list(PreCheck.objects.values_list("work_id", "status")),
        "notifications": Notification.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


WRITES = {
    "recommend": lambda r, p: services.unit_decide(
        work=_work(p["submitted"]), actor=r["organizer"], decision=Decision.RECOMMEND
    ),
    "return": lambda r, p: services.unit_decide(
        work=_work(p["submitted"]), actor=r["organizer"], decision=Decision.RETURN, reason="补材料"
    ),
    "reject": lambda r, p: services.unit_decide(
        work=_work(p["submitted"]), actor=r["organizer"], decision=Decision.REJECT, reason="不符"
    ),
    "unrecommend": lambda r, p: services.recommendation_withdraw(
        work=_work(p["recommended"]), actor=r["organizer"], reason="换一件"
    ),
    "city_qualify": lambda r, p: services.city_decide(
        work=_work(p["recommended"]), actor=r["committee"], decision=Decision.QUALIFY
    ),
    "bulk": lambda r, p: services.works_decide_bulk(
        works=[_work(p["recommended"])],
        actor=r["committee"],
        decision=Decision.CITY_REJECT,
        reason="不符合要求",
        stage=Stage.CITY,
    ),
    "remind_units": lambda r, p: services.units_remind(edition=p["edition"], actor=r["committee"]),
    "precheck": lambda r, p: services.precheck_request(work=_work(p["submitted"])),
}


@pytest.mark.parametrize("write", WRITES)
def test_decision_on_an_archived_edition_is_refused_and_changes_nothing(roles, past, write):
    before = _snapshot(past["edition"])
    with pytest.raises(DomainError) as err:
        WRITES[write](roles, past)
    assert err.value.code == "archived"
    assert ARCHIVED in str(err.value.message)  # bulk names the work before the reason
    assert _snapshot(past["edition"]) == before


def test_archived_review_records_and_progress_still_read(roles, past, units):
    edition = past["edition"]
    assert set(selectors.unit_queue(roles["organizer"], edition=edition)) == {
        _work(past["submitted"]),
        _work(past["recommended"]),
    }
    work = selectors.work_for_unit(roles["organizer"], edition=edition, pk=past["recommended"])
    assert [r.decision for r in selectors.reviews_of(work)] == [Decision.RECOMMEND]
    hd = next(row for row in selectors.unit_progress(edition=edition) if row.unit == units["hd"])
    assert (hd.submitted, hd.recommended, hd.pending) == (2, 1, 1)
    assert _work(past["recommended"]).state == WorkState.RECOMMENDED
