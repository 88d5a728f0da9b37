"""Registration codes in tests: ask for one as the form's button does and read it from
the ``file`` SMS backend (the task writes it after the request commits; the ``sms_dir``
fixture is in tests/accounts/conftest.py)."""

import json


def texts_to(sms_dir, phone: str) -> list[dict]:
    files = sorted(sms_dir.glob("*.json")) if sms_dir.exists() else []
    records = [json.loads(f.read_text("utf-8")) for f in files]
    return [r for r in records if r["phone"] == phone]


def request_code(client, sms_dir, *, field: str, phone: str) -> str:
    """POST the "send code" button of ``field`` ("mobile", "guardian_phone"); the code."""
    response = client.post("/accounts/register/code/", {"field": field, field: phone})
    assert response.status_code == 200
    assert "验证码已发送至该手机号" in response.content.decode(), response.content.decode()
    return texts_to(sms_dir, phone)[-1]["params"]["code"]
