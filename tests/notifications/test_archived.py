"""An archived edition's workflow notifies nobody any more; what was sent stays in the inbox."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from gongchuang.common.errors import DomainError
from gongchuang.editions.models import Edition
from gongchuang.notifications.models import EmailDelivery, Notification, ReminderSent
from gongchuang.notifications.reminders import send_deadline_reminders
from gongchuang.screening.services import units_remind
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work
from gongchuang.submissions.services import transition_work
from tests.factories.editions import ARCHIVED, archive
from tests.factories.works import submitted_work

from .test_notifications import _close_submission_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def past(roles, edition):
    """A work returned to its student (who was told), a deadline a day away; then archived."""
    work = transition_work(
        submitted_work(edition, roles["student"]),
        WorkState.RETURNED,
        actor=roles["organizer"],
        reason="缺少创作过程",
    )
    _close_submission_in(edition, datetime.timedelta(hours=20))
    archive(edition, actor=roles["committee"])
    mail.outbox.clear()
    return {"edition": edition, "work": work.pk}


def _sent() -> tuple:
    return (Notification.objects.count(), EmailDelivery.objects.count(), len(mail.outbox))


@pytest.mark.parametrize("notice", ["work_state", "unit_reminder"])
def test_workflow_notice_of_an_archived_edition_is_refused_and_sends_nothing(roles, past, notice):
    before = _sent()
    with pytest.raises(DomainError) as err:
        if notice == "work_state":
            work = Work.objects.select_related("edition").get(pk=past["work"])
            transition_work(work, WorkState.SUBMITTED, actor=roles["student"])
        else:
            units_remind(edition=past["edition"], actor=roles["committee"])
    assert (err.value.code, str(err.value.message)) == ("archived", ARCHIVED)
    assert _sent() == before


def test_deadline_reminders_skip_an_archived_edition_even_if_it_is_current(past):
    """Only a restored old database could have it so; its deadlines must still remind nobody."""
    Edition.objects.update(is_current=False)
    Edition.objects.filter(pk=past["edition"].pk).update(is_current=True)
    before = _sent()
    assert send_deadline_reminders(now=timezone.now()) == 0
    assert _sent() == before and not ReminderSent.objects.exists()


def test_inbox_still_shows_the_archived_editions_messages(client, roles, past):
    client.force_login(
        roles["student"], backend="gongchuang.accounts.backends.UsernameEmailMobileBackend"
    )
    html = client.get("/inbox/").content.decode()
    assert "作品《AI 守护城市绿地》被退回修改" in html
