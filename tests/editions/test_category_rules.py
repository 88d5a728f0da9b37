"""Which category changes are refused once works are submitted, and the services around them."""

import copy

import pytest

from gongchuang.common.errors import DomainError
from gongchuang.common.models import AuditEvent
from gongchuang.editions.models import Category
from gongchuang.editions.services import (
    CategoryChangeRefused,
    category_change_refusals,
    category_create,
    category_update,
    edition_make_current,
    edition_rules_update,
    rubric_replace,
)
from gongchuang.editions.services.categories import category_values
from gongchuang.submissions import services as work_services
from tests.submissions.helpers import complete_art_work

MB = 1024 * 1024
BEFORE = {
    "code": "ai_music", "short_code": "MUS", "track": "student", "name": "AI 音乐",
    "description": "", "eligible_levels": ["junior", "senior"], "max_authors": 2,
    "max_advisors": 2, "unit_quota": None,
    "materials": [
        {"key": "song", "label": "乐曲", "kinds": ["audio"], "max_bytes": 50 * MB,
         "required": True, "multiple": False, "allows_link": False},
        {"key": "notes", "label": "说明", "kinds": ["pdf", "docx"], "max_bytes": 20 * MB,
         "required": False, "multiple": True, "allows_link": True},
    ],
}  # fmt: skip


def changed(**changes):
    after = copy.deepcopy(BEFORE)
    after.update(changes)
    return after


def material_changed(index, **changes):
    after = copy.deepcopy(BEFORE)
    after["materials"][index].update(changes)
    return after


def refused(after):
    return [(r.field, r.key) for r in category_change_refusals(before=BEFORE, after=after)]


NEW_OPTIONAL = {"key": "m1", "label": "封面", "kinds": ["image"], "max_bytes": MB,
                "required": False, "multiple": False, "allows_link": False}  # fmt: skip


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (changed(), []),
        (changed(name="AI 音乐创作", description="新说明", unit_quota=10), []),
        (changed(eligible_levels=["primary", "junior", "senior"]), []),
        (changed(eligible_levels=["junior"]), [("eligible_levels", "")]),
        (changed(max_authors=3, max_advisors=3), []),
        (changed(max_authors=1), [("max_authors", "")]),
        (changed(max_advisors=1), [("max_advisors", "")]),
        (changed(track="teacher"), [("track", "")]),
        (changed(materials=BEFORE["materials"] + [NEW_OPTIONAL]), []),
        (changed(materials=BEFORE["materials"] + [{**NEW_OPTIONAL, "required": True}]),
         [("required", "m1")]),
        (changed(materials=BEFORE["materials"][:1]), [("DELETE", "notes")]),
        (changed(materials=BEFORE["materials"][1:]), [("DELETE", "song")]),
        (material_changed(0, label="乐曲文件"), []),
        (material_changed(0, required=False), []),
        (material_changed(1, required=True), [("required", "notes")]),
        (material_changed(0, max_bytes=50 * MB + 1), []),
        (material_changed(0, max_bytes=50 * MB - 1), [("max_mb", "song")]),
        (material_changed(0, kinds=["audio", "video"]), []),
        (material_changed(1, kinds=["pdf"]), [("kinds", "notes")]),
        (material_changed(0, allows_link=True, multiple=True), []),
        (material_changed(1, allows_link=False), [("allows_link", "notes")]),
        (material_changed(1, multiple=False), [("multiple", "notes")]),
    ],
)  # fmt: skip
def test_only_widening_changes_pass_the_guard(after, expected):
    assert refused(after) == expected


def test_refusal_says_why_in_chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    with translation.override("zh-hans"):
        [refusal] = category_change_refusals(before=BEFORE, after=changed(max_authors=1))
    assert refusal.message == "人数不能从 2 减少到 1：本类别已有作品提交。"


def _submitted_art_work(edition, student):
    work = complete_art_work(edition, student)
    return work_services.work_submit(work=work, actor=student)


def _art(edition) -> Category:
    return edition.categories.get(code="ai_art")


def test_lowering_team_size_after_a_submission_is_refused_and_changes_nothing(edition, roles):
    _submitted_art_work(edition, roles["student"])
    category = _art(edition)
    values = {**category_values(category), "max_advisors": 1}
    with pytest.raises(CategoryChangeRefused) as caught:
        category_update(category=category, actor=roles["committee"], values=values)
    assert [(r.field, r.key) for r in caught.value.refusals] == [("max_advisors", "")]
    category.refresh_from_db()
    assert category.max_advisors == 2
    assert not AuditEvent.objects.filter(action="category.update").exists()


def test_a_draft_does_not_freeze_the_category(edition, roles):
    complete_art_work(edition, roles["student"])
    category = _art(edition)
    values = {**category_values(category), "max_advisors": 1}
    category_update(category=category, actor=roles["committee"], values=values)
    category.refresh_from_db()
    assert category.max_advisors == 1


def test_widening_after_a_submission_is_saved_and_audited_with_before_and_after(edition, roles):
    _submitted_art_work(edition, roles["student"])
    category = _art(edition)
    materials = [*category.materials, NEW_OPTIONAL]
    values = {**category_values(category), "materials": materials, "max_advisors": 3}
    category_update(category=category, actor=roles["committee"], values=values)
    event = AuditEvent.objects.get(action="category.update")
    assert event.before["max_advisors"] == 2 and event.after["max_advisors"] == 3
    assert len(event.before["materials"]) == 3 and len(event.after["materials"]) == 4
    assert event.actor == roles["committee"]


def test_code_of_an_existing_category_never_changes(edition, roles):
    category = _art(edition)
    category_update(category=category, actor=roles["committee"],
                    values={**category_values(category), "code": "other"})  # fmt: skip
    category.refresh_from_db()
    assert category.code == "ai_art"


def test_create_category_refuses_a_taken_short_code(edition, roles):
    with pytest.raises(DomainError) as caught:
        category_create(edition=edition, actor=roles["committee"],
                        values={**BEFORE, "short_code": "ART"})  # fmt: skip
    assert caught.value.code == "code_taken"


def test_create_category_is_audited(edition, roles):
    category = category_create(edition=edition, actor=roles["committee"], values=BEFORE)
    assert category.order == 5 and category.materials == BEFORE["materials"]
    assert AuditEvent.objects.get(action="category.create").after["code"] == "ai_music"


def _dims(*weights):
    return [{"pk": None, "name": f"维度{i}", "weight": w, "description": "", "anchors": {}}
            for i, w in enumerate(weights)]  # fmt: skip


@pytest.mark.parametrize("weights", [(50, 49), (50, 51)])
def test_rubric_weights_other_than_100_are_refused(edition, roles, weights):
    with pytest.raises(DomainError) as caught:
        rubric_replace(category=_art(edition), actor=roles["committee"], dimensions=_dims(*weights))
    assert caught.value.code == "rubric_total"
    assert _art(edition).rubric.count() == 5


def test_rubric_keeps_the_ids_of_kept_dimensions_and_is_audited(edition, roles):
    category = _art(edition)
    first, second = list(category.rubric.all())[:2]
    dims = [
        {"pk": second.pk, "name": first.name, "weight": 60, "description": "", "anchors": {}},
        {"pk": first.pk, "name": second.name, "weight": 40, "description": "",
         "anchors": {"1": "差"}},
    ]  # fmt: skip
    rubric_replace(category=category, actor=roles["committee"], dimensions=dims)
    assert [(d.pk, d.name, d.weight) for d in category.rubric.all()] == [
        (second.pk, first.name, 60),
        (first.pk, second.name, 40),
    ]
    event = AuditEvent.objects.get(action="rubric.replace")
    assert len(event.before["rubric"]) == 5 and event.after["rubric"][1]["anchors"] == {"1": "差"}


def test_rules_update_keeps_other_settings_and_records_the_change(edition, roles):
    values = {
        "reviews_per_work": 4, "star_shares": {"five": 10, "four": 30, "three": 60},
        "final_weights": {"presentation": 40, "task": 40, "online": 20},
        "publicity_working_days": 7, "award_publicity_working_days": 5,
        "disagreement_threshold": 20, "similarity_text_percent": 60,
        "similarity_image_percent": 84,
    }  # fmt: skip
    edition_rules_update(edition=edition, actor=roles["committee"], values=values)
    edition.refresh_from_db()
    assert edition.settings["reviews_per_work"] == 4
    assert edition.settings["similarity_text_percent"] == 60
    event = AuditEvent.objects.get(action="edition.rules")
    assert event.before == {
        "reviews_per_work": 3,
        "star_shares": {"five": 15, "four": 35, "three": 50},
        "final_weights": {"presentation": 50, "task": 50, "online": 0},
        "publicity_working_days": 5,
        "disagreement_threshold": None,
    }
    assert event.after["publicity_working_days"] == 7


@pytest.mark.parametrize(
    ("stars", "weights", "code"),
    [((15, 35, 51), (50, 50, 0), "star_shares"), ((15, 35, 50), (50, 50, 1), "final_weights")],
)
def test_rules_out_of_bounds_are_refused(edition, roles, stars, weights, code):
    values = {
        "reviews_per_work": 3,
        "star_shares": dict(zip(("five", "four", "three"), stars, strict=True)),
        "final_weights": dict(zip(("presentation", "task", "online"), weights, strict=True)),
        "publicity_working_days": 5, "award_publicity_working_days": 5,
        "disagreement_threshold": 20, "similarity_text_percent": 60,
        "similarity_image_percent": 84,
    }  # fmt: skip
    with pytest.raises(DomainError) as caught:
        edition_rules_update(edition=edition, actor=roles["committee"], values=values)
    assert caught.value.code == code


def test_make_current_records_the_previous_and_new_edition(edition, roles):
    from gongchuang.editions.services import edition_create_from_defaults

    other, _ = edition_create_from_defaults(year=2027, slug="t2027", code="2027")
    edition_make_current(edition=other, actor=roles["committee"])
    event = AuditEvent.objects.get(action="edition.make_current", object_id=str(other.pk))
    assert event.before == {"current": "t2026"} and event.after == {"current": "t2027"}


def test_rubric_cannot_change_once_an_expert_has_scored_on_it(edition, units, roles):
    from gongchuang.judging.models import Assignment, Jury, Review
    from tests.factories.works import qualified_work, rubric_values
    from tests.judging.helpers import expert

    committee = roles["committee"]
    work = qualified_work(edition, units["hd_school"], committee=committee)
    jury = Jury.objects.create(edition=edition, category=work.category)
    assignment = Assignment.objects.create(
        jury=jury, work=work, expert=expert(committee=committee, unit=units["cy"])
    )
    Review.objects.create(assignment=assignment, scores=rubric_values(work, 8))
    with pytest.raises(DomainError) as caught:
        rubric_replace(category=_art(edition), actor=committee, dimensions=_dims(50, 50))
    assert caught.value.code == "rubric_in_use"
    assert _art(edition).rubric.count() == 5
