"""“忘记密码” works for every active account, also one that never had a password."""

import re

import pytest
from django.core import mail

from gongchuang.accounts.models import User
from tests.accounts.test_phone_pages import _page
from tests.notifications.test_sms_outbox import SENT

pytestmark = pytest.mark.django_db
RESET = "/accounts/password/reset/"
SMS_RESET = "/accounts/password/sms-reset/"
NEW_PASSWORD = "Ziji2027mima"


@pytest.fixture
def imported_expert(db):
    """As the expert import made them before invitations: no usable password."""
    user = User.objects.create(username="13911112222", real_name="周教授",
                               email="zhou@example.cn", mobile="13911112222")  # fmt: skip
    user.set_unusable_password()
    user.save()
    return user


def test_an_account_without_a_password_gets_the_reset_mail(client, imported_expert):
    response = client.post(RESET, {"email": "ZHOU@example.cn"})

    assert (response.status_code, response.url) == (302, "/accounts/password/reset/sent/")
    assert [m.to for m in mail.outbox] == [["zhou@example.cn"]]
    link = re.search(r"/accounts/password/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    form_url = client.get(link).url
    saved = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert saved.status_code == 302
    imported_expert.refresh_from_db()
    assert imported_expert.check_password(NEW_PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, imported_expert):
    known = client.post(RESET, {"email": "zhou@example.cn"}, follow=True)
    mail.outbox.clear()

    unknown = client.post(RESET, {"email": "nobody@example.cn"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain
    assert _page(unknown.content.decode()) == _page(known.content.decode())
    assert mail.outbox == []


def test_disabled_and_anonymised_accounts_get_no_mail(client, imported_expert):
    User.objects.filter(pk=imported_expert.pk).update(is_active=False)
    client.post(RESET, {"email": "zhou@example.cn"})
    User.objects.filter(pk=imported_expert.pk).update(is_active=True, is_anonymised=True)
    client.post(RESET, {"email": "zhou@example.cn"})

    assert mail.outbox == []


def test_an_account_without_a_password_can_reset_by_sms_code(
    client, imported_expert, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.notifications.test_sms_outbox.RecordingBackend"
    SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SMS_RESET, {"phone": "13911112222", "action": "send"})
    client.post(SMS_RESET, {"phone": "13911112222", "code": SENT[-1].params["code"],
                            "action": "confirm"})  # fmt: skip

    saved = client.post(
        "/accounts/password/sms-reset/new/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert (saved.status_code, saved.url) == (302, "/accounts/login/")
    imported_expert.refresh_from_db()
    assert imported_expert.check_password(NEW_PASSWORD)
