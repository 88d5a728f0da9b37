"""An archived edition's works are read-only: every write is refused, every page still reads."""

import io

import pytest
from django.urls import reverse

from gongchuang.common.models import AuditEvent
from gongchuang.submissions import services
from gongchuang.submissions.enums import AuthorRole, WorkState
from gongchuang.submissions.models import Authorship, Work, WorkFile
from tests.factories.editions import ARCHIVED, archive, assert_refused_as_archived

from .helpers import category, complete_art_work, png_bytes
from .test_views import login, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(edition, roles):
    """A complete draft with a pending advisor invitation and a submitted work, then archived."""
    draft = complete_art_work(edition, roles["student"])
    services.invitation_create(
        work=draft, actor=roles["student"], username=roles["teacher"].username, role="advisor"
    )
    submitted = services.work_submit(
        work=complete_art_work(edition, roles["student_b"], title="智能垃圾分类"),
        actor=roles["student_b"],
    )
    archive(edition, actor=roles["committee"])
    return {"draft": draft.pk, "submitted": submitted.pk, "edition": edition}


def _snapshot(edition) -> dict:
    return {
        "works": list(
            Work.objects.filter(edition=edition)
            .order_by("pk")
            .values_list("pk", "state", "title", "code", "updated_at")
        ),
        "files": list(WorkFile.objects.filter(work__edition=edition).values_list("pk", "sha256")),
        "team": list(
            Authorship.objects.filter(edition=edition)
            .order_by("pk")
            .values_list("pk", "user_id", "accepted_at")
        ),
        "audit": AuditEvent.objects.count(),
    }


WRITES = {
    "create": lambda r, p: services.work_create(
        actor=r["teacher"],
        edition=p["edition"],
        category=category(p["edition"], "teaching_case"),
        title="AI 助教",
    ),
    "update": lambda r, p: services.work_update(
        work=Work.objects.get(pk=p["draft"]), actor=r["student"], title="新标题"
    ),
    "submit": lambda r, p: services.work_submit(
        work=Work.objects.get(pk=p["draft"]), actor=r["student"]
    ),
    "withdraw": lambda r, p: services.work_withdraw(
        work=Work.objects.get(pk=p["submitted"]), actor=r["student_b"], reason="不参加了"
    ),
    "upload": lambda r, p: services.workfile_store(
        work=Work.objects.get(pk=p["draft"]),
        slot="artwork",
        fileobj=io.BytesIO(png_bytes(color=(1, 2, 3))),
        name="new.png",
        actor=r["student"],
    ),
    "delete_file": lambda r, p: services.workfile_delete(
        work_file=WorkFile.objects.filter(work_id=p["draft"]).first(), actor=r["student"]
    ),
    "invite": lambda r, p: services.invitation_create(
        work=Work.objects.get(pk=p["draft"]),
        actor=r["student"],
        username=r["coordinator"].username,
        role="advisor",
    ),
    "accept_invitation": lambda r, p: services.invitation_respond(
        authorship=Authorship.objects.get(work_id=p["draft"], role=AuthorRole.ADVISOR),
        actor=r["teacher"],
        accept=True,
    ),
    "remove_member": lambda r, p: services.member_remove(
        authorship=Authorship.objects.get(work_id=p["draft"], role=AuthorRole.ADVISOR),
        actor=r["student"],
    ),
    "transition": lambda r, p: services.transition_work(
        Work.objects.get(pk=p["submitted"]), WorkState.RECOMMENDED, actor=r["committee"]
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_write_on_an_archived_edition_is_refused_and_changes_nothing(roles, past, write):
    assert_refused_as_archived(
        lambda: WRITES[write](roles, past), lambda: _snapshot(past["edition"])
    )


def test_archived_work_page_reads_without_any_write_button(client, roles, past):
    work = Work.objects.get(pk=past["draft"])
    login(client, roles["student"])
    response = client.get(work.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "已归档（只读）" in html and "本届活动已归档，作品仅供查看，不能再修改。" in html
    assert work.title in html
    for url in (
        reverse("submissions:work_edit", args=[work.pk]),
        reverse("submissions:work_submit", args=[work.pk]),
        reverse("submissions:file_upload", args=[work.pk]),
        reverse("submissions:invite", args=[work.pk]),
        reverse("submissions:work_withdraw", args=[work.pk]),
    ):
        assert url not in html
    assert 'data-testid="submit-work"' not in html and "申报截止时间" not in html
    assert (response.context["can_edit"], response.context["can_withdraw"]) == (False, False)


def test_archived_work_files_and_receipt_still_download(client, roles, past):
    work = Work.objects.get(pk=past["submitted"])
    work_file = work.files.get(slot="artwork")
    login(client, roles["student_b"])
    download = client.get(reverse("submissions:file_download", args=[work_file.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == work_file.file.open("rb").read()
    receipt = client.get(reverse("submissions:work_receipt", args=[work.pk]))
    assert receipt.status_code == 200 and work.code in receipt.content.decode()


def test_submit_through_the_page_shows_the_chinese_refusal(client, roles, past):
    login(client, roles["student"])
    response = client.post(reverse("submissions:work_submit", args=[past["draft"]]), follow=True)
    assert ARCHIVED in messages_of(response)
    assert Work.objects.get(pk=past["draft"]).state == WorkState.DRAFT
