"""Every link in an e-mail names SITE_URL, never the host a request arrived on."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from gongchuang.notifications.defaults import TEMPLATES
from gongchuang.notifications.services import notify_kind
from gongchuang.submissions.enums import WorkState
from tests.factories.works import move, submitted_work

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://mail.example.cn"
FORGED = "evil.example"


def hosts_in(text: str) -> set[str]:
    return set(re.findall(r"https?://([^/\s]+)", text))


@pytest.fixture
def public_site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", FORGED]  # the forged host passes Django's own check


def test_work_lifecycle_mails_link_the_work_on_the_site_url(public_site, roles, edition):
    student, organizer = roles["student"], roles["organizer"]
    work = submitted_work(edition, student, advisor=roles["teacher"])
    work = move(work, WorkState.RETURNED, actor=organizer, reason="缺少说明")
    move(
        work,
        WorkState.SUBMITTED,
        WorkState.RECOMMENDED,
        WorkState.QUALIFIED,
        WorkState.REVIEWED,
        WorkState.FINALIST,
        actor=None,
    )

    bodies = [m.body for m in mail.outbox]
    assert len(bodies) == 8  # submitted ×2, returned ×2, recommended, qualified, finalist ×2
    link = f"{SITE}{work.get_absolute_url()}"
    assert all(link in body for body in bodies)
    assert set().union(*map(hosts_in, bodies)) == {"mail.example.cn"}


def test_every_notification_kind_links_only_the_site_url(public_site, roles):
    student, inbox = roles["student"], reverse("notifications:inbox")
    for kind, template in TEMPLATES.items():
        context = dict.fromkeys(template.placeholders, "—")
        notify_kind(recipients=[student], kind=kind, context=context, url=inbox)

    assert len(mail.outbox) == len(TEMPLATES)
    for message in mail.outbox:
        assert hosts_in(message.body) == {"mail.example.cn"}, message.body
        assert f"{SITE}{inbox}" in message.body


def test_password_reset_mail_ignores_a_forged_host_header(client, public_site, roles):
    student = roles["student"]
    response = client.post(
        reverse("accounts:password_reset"), {"email": student.email}, HTTP_HOST=FORGED
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert hosts_in(message.body) == {"mail.example.cn"}
    path = re.search(rf"{re.escape(SITE)}(/accounts/password/reset/\S+/)", message.body)[1]
    assert client.get(path, follow=True).status_code == 200
