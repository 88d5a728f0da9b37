"""An archived edition's windows and settings no longer change; its settings page still reads."""

import datetime

import pytest
from django.urls import reverse

from gongchuang.common.models import AuditEvent
from gongchuang.editions.enums import Step
from gongchuang.editions.models import Edition, PhaseWindow
from gongchuang.editions.services import edition_make_current, window_extend
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
    }


WRITES = {
    "extend_window": lambda r, e: window_extend(
        window=PhaseWindow.objects.select_related("edition").get(edition=e, step=Step.SUBMISSION),
        closes_at=e.window(Step.SUBMISSION).closes_at + datetime.timedelta(days=3),
        actor=r["committee"],
        reason="网络故障",
    ),
    "make_current": lambda r, e: edition_make_current(edition=e, actor=r["committee"]),
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
