import pytest

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import Notification
from gongchuang.screening import services
from gongchuang.screening.enums import ChecklistItem, Decision
from gongchuang.screening.models import Review
from gongchuang.screening.selectors import quota_usage
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from . import factories


def _recommended(edition, unit, n, category="ai_art"):
    """n works of ``unit`` in the recommended state (made through the service)."""
    return [
        services.work_recommend(work=w, actor=unit["organizer"])
        for w in [
            factories.work(edition, unit=unit["unit"], school=unit["school"], category=category)
            for _ in range(n)
        ]
    ]


@pytest.fixture
def hd(roles, units):
    return {"unit": units["hd"], "school": units["hd_school"], "organizer": roles["organizer"]}


@pytest.fixture
def small_quota(edition):
    art = edition.categories.get(code="ai_art")
    art.unit_quota = 3
    art.save()
    return art


@pytest.mark.parametrize("already", [1, 2])
def test_recommend_below_quota_succeeds(edition, hd, small_quota, already):
    _recommended(edition, hd, already)
    work = factories.work(edition, unit=hd["unit"], school=hd["school"])

    result = services.work_recommend(work=work, actor=hd["organizer"])

    assert result.state == WorkState.RECOMMENDED
    assert Work.objects.filter(state=WorkState.RECOMMENDED).count() == already + 1


def test_recommend_at_quota_is_refused_with_chinese_message(edition, hd, small_quota):
    _recommended(edition, hd, 3)
    work = factories.work(edition, unit=hd["unit"], school=hd["school"])

    with pytest.raises(DomainError) as exc:
        services.work_recommend(work=work, actor=hd["organizer"])

    assert str(exc.value) == "本区 AI 艺术创作 推荐名额已满（3/3）"
    work.refresh_from_db()
    assert work.state == WorkState.SUBMITTED
    assert Review.objects.filter(work=work).count() == 0


def test_quota_is_per_unit_and_category(edition, hd, small_quota, units, roles):
    _recommended(edition, hd, 3)
    agent = factories.work(edition, unit=hd["unit"], school=hd["school"], category="ai_agent")
    cy = factories.work(edition, unit=units["cy"], school=units["cy_school"])

    services.work_recommend(work=agent, actor=hd["organizer"])
    services.work_recommend(work=cy, actor=roles["organizer_cy"])

    rows = {
        r.category.code: (r.used, r.quota)
        for r in quota_usage(edition=edition, unit_id=hd["unit"].pk)
    }
    assert rows["ai_art"] == (3, 3)
    assert rows["ai_agent"] == (1, 30)
    assert rows["ai_scientist"] == (0, None)


def test_category_without_quota_is_unlimited(edition, hd):
    works = _recommended(edition, hd, 3, category="ai_scientist")
    assert [w.state for w in works] == [WorkState.RECOMMENDED] * 3


def test_unrecommend_frees_a_place(edition, hd, small_quota):
    first, *_ = _recommended(edition, hd, 3)
    waiting = factories.work(edition, unit=hd["unit"], school=hd["school"])

    services.recommendation_withdraw(work=first, actor=hd["organizer"], reason="换一件")
    services.work_recommend(work=waiting, actor=hd["organizer"])

    first.refresh_from_db()
    assert first.state == WorkState.SUBMITTED
    assert Work.objects.filter(state=WorkState.RECOMMENDED).count() == 3


def test_city_rejection_keeps_the_place_used(edition, hd, small_quota, roles):
    works = _recommended(edition, hd, 3)
    services.city_decide(
        work=works[0], actor=roles["committee"], decision=Decision.CITY_REJECT, reason="不符合要求"
    )
    work = factories.work(edition, unit=hd["unit"], school=hd["school"])

    with pytest.raises(DomainError, match="已满"):
        services.work_recommend(work=work, actor=hd["organizer"])


def test_return_to_unit_frees_the_place(edition, hd, small_quota, roles):
    works = _recommended(edition, hd, 3)
    services.city_decide(
        work=works[0], actor=roles["committee"], decision=Decision.RETURN_TO_UNIT, reason="请复核"
    )
    works[0].refresh_from_db()
    assert works[0].state == WorkState.SUBMITTED
    assert quota_usage(edition=edition, unit_id=hd["unit"].pk)[0].used == 2


def test_organizer_of_other_unit_cannot_decide(edition, hd, roles):
    work = factories.work(edition, unit=hd["unit"], school=hd["school"])
    with pytest.raises(DomainError) as exc:
        services.work_recommend(work=work, actor=roles["organizer_cy"])
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError):
        services.work_return(work=work, actor=roles["committee"], reason="x")


@pytest.mark.parametrize("decide", [services.work_return, services.work_reject])
def test_return_and_reject_need_a_reason(edition, hd, decide):
    work = factories.work(edition, unit=hd["unit"], school=hd["school"])
    with pytest.raises(DomainError) as exc:
        decide(work=work, actor=hd["organizer"], reason="  ")
    assert str(exc.value) == "请填写该决定的原因。"


def test_return_notifies_author_with_reason_and_allows_resubmit(
    edition, hd, django_capture_on_commit_callbacks
):
    from gongchuang.submissions.services import transition_work

    work = factories.work(edition, unit=hd["unit"], school=hd["school"])
    with django_capture_on_commit_callbacks(execute=True):
        services.work_return(work=work, actor=hd["organizer"], reason="演示视频无法播放")

    work.refresh_from_db()
    assert (work.state, work.state_reason) == (WorkState.RETURNED, "演示视频无法播放")
    note = Notification.objects.get(recipient=work.created_by, kind="work.returned")
    assert "演示视频无法播放" in note.body
    assert transition_work(work, WorkState.SUBMITTED, actor=work.created_by).state == "submitted"


def test_reject_records_review_and_audit(edition, hd):
    work = factories.work(edition, unit=hd["unit"], school=hd["school"])
    checklist = {i.value: i != ChecklistItem.ORIGINALITY for i in ChecklistItem}
    reason = services.checklist_reason(checklist=checklist, note="另附说明")

    services.work_reject(work=work, actor=hd["organizer"], reason=reason, checklist=checklist)

    review = Review.objects.get(work=work)
    assert (review.decision, review.stage, review.reason) == (
        "reject",
        "unit",
        "作者未作原创承诺。\n另附说明",
    )
    assert (
        AuditEvent.objects.filter(object_id=str(work.pk), after={"state": "unit_rejected"}).count()
        == 1
    )


def test_recommend_refuses_failed_checklist(edition, hd):
    work = factories.work(edition, unit=hd["unit"], school=hd["school"])
    checklist = {i.value: True for i in ChecklistItem} | {"content": False}
    with pytest.raises(DomainError, match="所有检查项"):
        services.work_recommend(work=work, actor=hd["organizer"], checklist=checklist)


def test_unit_decisions_need_open_window(edition, hd):
    window = edition.windows.get(step="unit_review")
    window.opens_at, window.closes_at = (
        window.closes_at,
        window.closes_at.replace(year=window.closes_at.year + 1),
    )
    window.save()
    work = factories.work(edition, unit=hd["unit"], school=hd["school"])
    with pytest.raises(DomainError) as exc:
        services.work_recommend(work=Work.objects.get(pk=work.pk), actor=hd["organizer"])
    assert exc.value.code == "window_closed"


def test_city_qualify_and_reject(edition, hd, roles):
    a, b = _recommended(edition, hd, 2)
    services.city_decide(work=a, actor=roles["committee"], decision=Decision.QUALIFY)
    with pytest.raises(DomainError):
        services.city_decide(
            work=b, actor=roles["committee"], decision=Decision.CITY_REJECT, reason=""
        )
    services.city_decide(
        work=b, actor=roles["committee"], decision=Decision.CITY_REJECT, reason="材料不全"
    )
    assert set(Work.objects.values_list("state", flat=True)) == {"qualified", "city_rejected"}


def test_city_decision_only_by_committee(edition, hd):
    (a,) = _recommended(edition, hd, 1)
    with pytest.raises(DomainError) as exc:
        services.city_decide(work=a, actor=hd["organizer"], decision=Decision.QUALIFY)
    assert exc.value.code == "forbidden"


def test_bulk_is_all_or_nothing(edition, hd, small_quota):
    _recommended(edition, hd, 1)
    works = [factories.work(edition, unit=hd["unit"], school=hd["school"]) for _ in range(3)]

    with pytest.raises(DomainError) as exc:
        services.works_decide_bulk(works=works, actor=hd["organizer"], decision=Decision.RECOMMEND)

    assert works[2].code in str(exc.value) and "已满（3/3）" in str(exc.value)
    assert Work.objects.filter(state=WorkState.RECOMMENDED).count() == 1


def test_bulk_return_needs_reason_and_applies_to_all(edition, hd):
    works = [factories.work(edition, unit=hd["unit"], school=hd["school"]) for _ in range(2)]
    with pytest.raises(DomainError):
        services.works_decide_bulk(works=works, actor=hd["organizer"], decision=Decision.RETURN)
    n = services.works_decide_bulk(
        works=works, actor=hd["organizer"], decision=Decision.RETURN, reason="请补充材料"
    )
    assert n == 2
    assert set(Work.objects.values_list("state", flat=True)) == {"returned"}


def test_remind_notifies_organizers_of_units_behind_only(edition, hd, roles, units):
    factories.work(edition, unit=hd["unit"], school=hd["school"])  # HD has one pending
    cy = factories.work(edition, unit=units["cy"], school=units["cy_school"])
    services.work_recommend(work=cy, actor=roles["organizer_cy"])  # CY is done

    n = services.units_remind(edition=edition, actor=roles["committee"])

    assert n == 1
    note = Notification.objects.get(kind="screening.reminder")
    assert note.recipient == roles["organizer"]
    assert "海淀区 还有 1 件作品等待资格审查" in note.body


def test_university_quota_message_says_unit(edition, roles):
    from gongchuang.accounts.enums import Role
    from gongchuang.accounts.models import School, Unit
    from tests.factories import people

    uni = Unit.objects.create(code="PKUT", name="北京测试大学", kind="university")
    school = School.objects.create(unit=uni, name="北京测试大学")
    organizer = people.staff(Role.UNIT_ORGANIZER, unit=uni)
    art = edition.categories.get(code="ai_art")
    art.unit_quota = 1
    art.save()
    first, second = (
        factories.work(edition, unit=uni, school=school, level="university") for _ in range(2)
    )
    services.work_recommend(work=first, actor=organizer)
    with pytest.raises(DomainError) as exc:
        services.work_recommend(work=second, actor=organizer)
    assert str(exc.value) == "本单位 AI 艺术创作 推荐名额已满（1/1）"


def test_return_to_unit_tells_the_units_organizers(edition, hd, roles):
    (work,) = _recommended(edition, hd, 1)
    services.city_decide(
        work=work,
        actor=roles["committee"],
        decision=Decision.RETURN_TO_UNIT,
        reason="请核实作者学段",
    )
    note = Notification.objects.get(kind="screening.returned_to_unit")
    assert note.recipient == hd["organizer"]
    assert note.title == f"市级审核将作品 {work.code} 退回本单位"
    assert "请核实作者学段" in note.body
