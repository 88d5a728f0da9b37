"""An archived edition's publicity is closed: no list, objection or decision changes; pages read."""

import datetime

import pytest
from django.utils import timezone

from gongchuang.common.models import AuditEvent
from gongchuang.notifications.models import Notification
from gongchuang.publicity import services
from gongchuang.publicity.enums import ListKind, StatementFrom
from gongchuang.publicity.models import (
    Objection,
    ObjectionEvidence,
    ObjectionNote,
    PublicityEntry,
    PublicityList,
)
from gongchuang.submissions.models import Work
from tests.factories.editions import archive, assert_refused_as_archived

from .helpers import REASON, finalist, published
from .test_views import _as

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(roles, edition):
    """A list under publicity with two objections, one waiting for the authors' statement."""
    committee = roles["committee"]
    work = finalist(edition, roles["student"], committee)
    publicity = published(edition, [work], committee)
    entry = publicity.entries.get()
    received = services.objection_file(
        entry=entry, objector=roles["student_b"], reason=REASON, contact="13700000000"
    )
    asked = services.objection_request_statement(
        objection=services.objection_file(
            entry=entry, objector=roles["organizer_cy"], reason=REASON, contact="x"
        ),
        actor=committee,
        source=StatementFrom.AUTHORS,
        deadline=timezone.now() + datetime.timedelta(days=3),
    )
    archive(edition, actor=committee)
    return {
        "edition": edition,
        "work": work.pk,
        "list": publicity.pk,
        "entry": entry.pk,
        "received": received.pk,
        "asked": asked.pk,
    }


def _objection(pk) -> Objection:
    return Objection.objects.get(pk=pk)


def _list(p) -> PublicityList:
    return PublicityList.objects.select_related("edition").get(pk=p["list"])


def _snapshot() -> dict:
    return {
        "lists": list(PublicityList.objects.values_list("pk", "final_at")),
        "entries": list(PublicityEntry.objects.values_list("pk", "removed_at")),
        "objections": list(
            Objection.objects.order_by("pk").values_list(
                "pk", "state", "statement", "statement_deadline", "decided_at"
            )
        ),
        "rows": (ObjectionNote.objects.count(), ObjectionEvidence.objects.count()),
        "works": list(Work.objects.values_list("pk", "state")),
        "notifications": Notification.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


WRITES = {
    "publish": lambda r, p: services.publicity_publish(
        edition=p["edition"],
        kind=ListKind.FINALIST,
        title="补充公示",
        actor=r["committee"],
        works=[Work.objects.get(pk=p["work"])],
    ),
    "file_objection": lambda r, p: services.objection_file(
        entry=PublicityEntry.objects.select_related("publicity_list__edition").get(pk=p["entry"]),
        objector=r["organizer"],
        reason=REASON,
        contact="x",
    ),
    "investigate": lambda r, p: services.objection_investigate(
        objection=_objection(p["received"]), actor=r["committee"]
    ),
    "note": lambda r, p: services.objection_add_note(
        objection=_objection(p["received"]), actor=r["committee"], text="已联系学校"
    ),
    "request_statement": lambda r, p: services.objection_request_statement(
        objection=_objection(p["received"]),
        actor=r["committee"],
        source=StatementFrom.UNIT,
        deadline=timezone.now() + datetime.timedelta(days=2),
    ),
    "give_statement": lambda r, p: services.objection_give_statement(
        objection=_objection(p["asked"]), actor=r["student"], text="作品为原创。"
    ),
    "uphold": lambda r, p: services.objection_decide(
        objection=_objection(p["received"]), actor=r["committee"], upheld=True, reason="属实"
    ),
    "dismiss": lambda r, p: services.objection_decide(
        objection=_objection(p["asked"]), actor=r["committee"], upheld=False, reason="不属实"
    ),
    "confirm_final": lambda r, p: services.publicity_confirm_final(
        publicity=_list(p), actor=r["committee"], now=_list(p).ends_at
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_write_on_an_archived_edition_is_refused_and_changes_nothing(roles, past, write):
    assert_refused_as_archived(lambda: WRITES[write](roles, past), _snapshot)


def test_archived_list_reads_without_the_objection_button(client, past):
    html = client.get(f"/publicity/{past['list']}/").content.decode()
    assert Work.objects.get(pk=past["work"]).code in html
    assert "李*" in html
    assert "提出异议" not in html and "公示期已结束" in html


def test_archived_objection_pages_read_without_action_forms(client, roles, past):
    committee_page = _as(client, roles["committee"]).get(
        f"/publicity/manage/objections/{past['received']}/"
    )
    html = committee_page.content.decode()
    assert committee_page.status_code == 200
    assert REASON in html and "已归档（只读）" in html
    assert 'value="decide"' not in html and 'value="note"' not in html
    client.logout()
    statement_page = _as(client, roles["student"]).get(f"/publicity/statements/{past['asked']}/")
    html = statement_page.content.decode()
    assert statement_page.status_code == 200
    assert REASON in html and "已归档（只读）" in html and "<form" not in html.split("<main")[-1]
    client.logout()
    mine = _as(client, roles["student_b"]).get("/publicity/objections/mine/")
    assert mine.status_code == 200 and Work.objects.get(pk=past["work"]).title in (
        mine.content.decode()
    )
