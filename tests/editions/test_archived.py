"""An archived edition's windows and settings no longer change; its settings page still reads."""

import datetime

import pytest
from django.urls import reverse

from gongchuang.common.models import AuditEvent
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Category, Edition, PhaseWindow, RubricDimension
from gongchuang.editions.services import (
    category_create,
    category_update,
    edition_details_update,
    edition_make_current,
    edition_rules_update,
    rubric_replace,
    window_extend,
    window_reschedule,
)
from gongchuang.editions.services.categories import category_values
from tests.factories.editions import ARCHIVED, archive, assert_refused_as_archived

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(edition, roles):
    return archive(edition, actor=roles["committee"])


def _snapshot() -> dict:
    return {
        "windows": list(PhaseWindow.objects.order_by("pk").values_list("pk", "closes_at")),
        "current": list(Edition.objects.filter(is_current=True).values_list("pk", flat=True)),
        "audit": AuditEvent.objects.count(),
        "categories": list(Category.objects.order_by("pk").values_list("pk", "max_authors")),
        "rubric": list(RubricDimension.objects.order_by("pk").values_list("pk", "weight")),
        "settings": list(Edition.objects.order_by("pk").values_list("settings", "theme")),
    }


def _art(e) -> Category:
    return e.categories.get(code="ai_art")


RULES = {
    "reviews_per_work": 4, "star_shares": {"five": 10, "four": 30, "three": 60},
    "final_weights": {"presentation": 50, "task": 50, "online": 0},
    "publicity_working_days": 5, "award_publicity_working_days": 5,
    "disagreement_threshold": 20, "similarity_text_percent": 60, "similarity_image_percent": 84,
}  # fmt: skip
DIMENSIONS = [{"pk": None, "name": "创新性", "weight": 100, "description": "", "anchors": {}}]


WRITES = {
    "extend_window": lambda r, e: window_extend(
        window=PhaseWindow.objects.select_related("edition").get(edition=e, step=Step.SUBMISSION),
        closes_at=e.window(Step.SUBMISSION).closes_at + datetime.timedelta(days=3),
        actor=r["committee"],
        reason="网络故障",
    ),
    "make_current": lambda r, e: edition_make_current(edition=e, actor=r["committee"]),
    "reschedule_window": lambda r, e: window_reschedule(
        window=PhaseWindow.objects.select_related("edition").get(edition=e, step=Step.SUMMARY),
        opens_at=e.window(Step.SUMMARY).opens_at + datetime.timedelta(days=1),
        closes_at=e.window(Step.SUMMARY).closes_at,
        actor=r["committee"],
        reason="顺延",
    ),
    "rules": lambda r, e: edition_rules_update(edition=e, actor=r["committee"], values=RULES),
    "details": lambda r, e: edition_details_update(
        edition=e, actor=r["committee"], values={"name": e.name, "theme": "新", "organisers": {}}
    ),
    "category_create": lambda r, e: category_create(
        edition=e,
        actor=r["committee"],
        values={**category_values(_art(e)), "code": "ai_music", "short_code": "MUS"},
    ),
    "category_update": lambda r, e: category_update(
        category=_art(e),
        actor=r["committee"],
        values={**category_values(_art(e)), "max_authors": 3},
    ),
    "rubric": lambda r, e: rubric_replace(
        category=_art(e), actor=r["committee"], dimensions=DIMENSIONS
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_write_on_an_archived_edition_is_refused_and_changes_nothing(roles, past, write):
    assert_refused_as_archived(lambda: WRITES[write](roles, past), _snapshot)


def test_deadline_change_page_shows_the_refusal_and_changes_nothing(client, roles, past):
    window = past.windows.get(step=Step.SUBMISSION)
    client.force_login(roles["committee"])
    before = _snapshot()
    response = client.post(
        reverse("editions:window_edit", args=[window.pk]),
        {"closes_at": "2030-01-01T00:00", "reason": "网络故障"},
    )
    assert response.status_code == 200 and ARCHIVED in response.content.decode()
    assert _snapshot() == before


def test_archived_settings_page_reads_without_deadline_links(client, roles, past):
    client.force_login(roles["committee"])
    response = client.get(reverse("editions:settings", args=[past.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "已归档（只读）" in html and ARCHIVED in html
    assert html.count('data-testid="window-') == past.windows.count() == 8
    assert "/editions/windows/" not in html
