"""The final's details and on-site tasks change through services (audited), not bare forms."""

import pytest
from django.urls import reverse

from gongchuang.common.models import AuditEvent
from gongchuang.finals.models import FinalEvent, OnsiteTask

pytestmark = pytest.mark.django_db


def test_committee_changes_the_event_through_the_page_and_it_is_audited(client, event, roles):
    client.force_login(roles["committee"])
    response = client.post(
        reverse("finals:manage_home"),
        {
            "name": "2026年终评展示活动（延期）",
            "starts_on": event.starts_on.isoformat(),
            "ends_on": event.ends_on.isoformat(),
            "venue": "北京科技馆",
        },
    )
    assert response.status_code == 302
    event = FinalEvent.objects.get(pk=event.pk)
    assert (event.name, event.venue) == ("2026年终评展示活动（延期）", "北京科技馆")
    audit = AuditEvent.objects.get(action="final.event_update")
    assert audit.before == {"name": "2026年终评展示活动", "venue": "北京科学中心"}
    assert audit.after == {"name": "2026年终评展示活动（延期）", "venue": "北京科技馆"}


def test_event_dates_in_the_wrong_order_are_refused_in_chinese(client, event, roles):
    client.force_login(roles["committee"])
    response = client.post(
        reverse("finals:manage_home"),
        {
            "name": event.name,
            "starts_on": event.ends_on.isoformat(),
            "ends_on": event.starts_on.isoformat(),
            "venue": event.venue,
        },
    )
    assert response.status_code == 200
    assert "终评结束日期不能早于开始日期。" in response.content.decode()
    assert FinalEvent.objects.get(pk=event.pk).ends_on == event.ends_on
    assert not AuditEvent.objects.filter(action="final.event_update").exists()


def test_committee_adds_a_hidden_task_through_the_page_and_it_is_audited(client, session, roles):
    client.force_login(roles["committee"])
    response = client.post(
        reverse("finals:manage_session", args=[session.pk]),
        {
            "action": "task",
            "task-title": "现场设计一个智能体",
            "task-statement": "60 分钟内完成。",
            "task-time_limit_minutes": "60",
        },
    )
    assert response.status_code == 302
    task = OnsiteTask.objects.get(session=session)
    assert (task.title, task.time_limit_minutes, task.released_at) == (
        "现场设计一个智能体",
        60,
        None,
    )
    assert AuditEvent.objects.get(action="final.task_create").object_id == str(task.pk)
