"""The console and file SMS backends, and how SMS_BACKEND picks one."""

import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongchuang.notifications.sms import SmsMessage, get_backend, send
from gongchuang.notifications.sms.backends.console import ConsoleBackend
from gongchuang.notifications.sms.backends.file import FileBackend

MESSAGE = SmsMessage(
    phone="13800001111",
    template_key="code",
    template_code="SMS_100",
    params={"code": "123456"},
    text="【共创平台】您的验证码为123456，5分钟内有效，请勿告诉他人。",
)


def test_console_backend_writes_the_whole_message_to_its_stream():
    stream = io.StringIO()

    message_id = ConsoleBackend(stream=stream).send(MESSAGE)

    assert message_id.startswith("console-")
    assert stream.getvalue() == (
        f"SMS {message_id}\nTo: 13800001111\nTemplate: code (SMS_100)\n"
        'Params: {"code": "123456"}\n\n'
        "【共创平台】您的验证码为123456，5分钟内有效，请勿告诉他人。\n" + "-" * 40 + "\n"
    )


def test_console_is_the_default_backend_and_writes_to_stdout(capsys, settings):
    settings.SMS_BACKEND = "console"

    message_id = send("13800001111", "code", {"code": "654321"}, text="验证码654321")

    out = capsys.readouterr().out
    assert f"SMS {message_id}\nTo: 13800001111\n" in out
    assert 'Params: {"code": "654321"}' in out


def test_file_backend_writes_one_json_file_per_message(tmp_path, settings):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")

    first = get_backend().send(MESSAGE)
    second = get_backend().send(MESSAGE)

    files = sorted((tmp_path / "sms").iterdir())
    assert len(files) == 2
    records = [json.loads(f.read_text("utf-8")) for f in files]
    assert {r["id"] for r in records} == {first, second}
    assert records[0]["phone"] == "13800001111"
    assert records[0]["template_code"] == "SMS_100"
    assert records[0]["params"] == {"code": "123456"}
    assert records[0]["text"] == MESSAGE.text


def test_file_backend_without_a_directory_is_a_configuration_error(settings):
    settings.SMS_FILE_PATH = ""

    with pytest.raises(ImproperlyConfigured):
        FileBackend()


def test_a_dotted_path_picks_any_backend_class(settings):
    settings.SMS_BACKEND = "gongchuang.notifications.sms.backends.console.ConsoleBackend"

    assert type(get_backend()) is ConsoleBackend
