"""The committee edits the SMS text and provider template code of a key notice."""

import pytest

from gongchuang.notifications.models import NotificationTemplate

pytestmark = pytest.mark.django_db
URL = "/inbox/templates/work.returned/"


def test_key_notice_page_offers_the_sms_fields_with_the_built_in_text(client, roles):
    client.force_login(roles["committee"])

    body = client.get(URL).content.decode()

    assert 'name="sms_text"' in body
    assert "您的作品《{title}》被退回修改，原因：{reason}。" in body
    assert 'name="sms_template_code"' in body


def test_other_kinds_have_no_sms_fields(client, roles):
    client.force_login(roles["committee"])

    body = client.get("/inbox/templates/work.submitted/").content.decode()

    assert 'name="sms_text"' not in body


def test_saving_stores_the_sms_text_and_code(client, roles):
    client.force_login(roles["committee"])
    data = {"subject": "退回：{title}", "body": "原因：{reason}", "save": "1",
            "sms_text": "《{title}》被退回：{reason}", "sms_template_code": " SMS_9 "}  # fmt: skip

    response = client.post(URL, data)

    assert response.status_code == 302
    stored = NotificationTemplate.objects.get(kind="work.returned")
    assert (stored.sms_text, stored.sms_template_code) == ("《{title}》被退回：{reason}", "SMS_9")


def test_an_unknown_placeholder_in_the_sms_text_is_refused(client, roles):
    client.force_login(roles["committee"])
    data = {"subject": "退回", "body": "原因", "save": "1", "sms_text": "{titel}"}

    response = client.post(URL, data)

    assert response.status_code == 200
    assert "未知的占位符：{titel}" in response.content.decode()
    assert not NotificationTemplate.objects.exists()


def test_preview_shows_the_sms_text_with_sample_data(client, roles):
    client.force_login(roles["committee"])
    data = {"subject": "退回", "body": "原因", "preview": "1", "sms_text": "《{title}》被退回"}

    body = client.post(URL, data).content.decode()

    assert "《AI 守护城市绿地》被退回" in body
