"""The Aliyun and Tencent adapters through the real SDKs, with HTTP intercepted.

``requests``' HTTPAdapter.send is replaced: the SDK builds and signs its request as in
production, we read it and answer as the provider would. No network.
"""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from gongchuang.notifications.sms import SmsMessage
from gongchuang.notifications.sms.backends.aliyun import AliyunBackend
from gongchuang.notifications.sms.backends.tencent import TencentBackend
from gongchuang.notifications.sms.errors import (
    AuthFailure,
    InvalidNumber,
    ProviderRateLimited,
    ProviderUnavailable,
    TemplateNotApproved,
)

MESSAGE = SmsMessage(
    phone="13800001111",
    template_key="work.returned",
    template_code="SMS_200",
    params={"title": "城市绿地", "reason": "缺少说明"},
    text="……",
)


class FakeHttp:
    """Stands in for the network: records each prepared request, answers ``status``/``body``."""

    def __init__(self, monkeypatch, status: int, body: dict | Exception):
        self.requests: list[requests.PreparedRequest] = []
        self.status, self.body = status, body
        fake = self

        def send(adapter, request, **kwargs):
            return fake.answer(request)

        monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)

    def answer(self, request):
        self.requests.append(request)
        if isinstance(self.body, Exception):
            raise self.body
        response = requests.Response()
        response.status_code = self.status
        response._content = json.dumps(self.body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url, response.request = request.url, request
        response.encoding = "utf-8"
        return response


@pytest.fixture
def aliyun(settings):
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test-id"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "test-secret"
    settings.SMS_ALIYUN_ENDPOINT = "dysmsapi.aliyuncs.com"
    settings.SMS_SIGN_NAME = "共创平台"
    return AliyunBackend()


@pytest.fixture
def tencent(settings):
    settings.SMS_TENCENT_SECRET_ID = "AKID-test-id"
    settings.SMS_TENCENT_SECRET_KEY = "test-key"
    settings.SMS_TENCENT_SDK_APP_ID = "1400000001"
    settings.SMS_TENCENT_REGION = "ap-guangzhou"
    settings.SMS_SIGN_NAME = "共创平台"
    return TencentBackend()


def _aliyun_fields(request) -> dict:
    """Aliyun RPC: parameters in the query string and/or the form body."""
    fields = parse_qs(urlsplit(request.url).query)
    body = request.body or b""
    if isinstance(body, bytes):
        body = body.decode()
    fields.update(parse_qs(body))
    return {k: v[0] for k, v in fields.items()}


def test_aliyun_request_shape_and_signature(monkeypatch, aliyun):
    http = FakeHttp(
        monkeypatch, 200, {"Code": "OK", "Message": "OK", "BizId": "9876^0", "RequestId": "r1"}
    )

    message_id = aliyun.send(MESSAGE)

    assert message_id == "9876^0"
    (request,) = http.requests
    assert urlsplit(request.url).netloc == "dysmsapi.aliyuncs.com"
    fields = _aliyun_fields(request)
    assert fields["PhoneNumbers"] == "13800001111"
    assert fields["SignName"] == "共创平台"
    assert fields["TemplateCode"] == "SMS_200"
    assert json.loads(fields["TemplateParam"]) == {"title": "城市绿地", "reason": "缺少说明"}
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["x-acs-action"] == "SendSms"
    assert headers["x-acs-version"] == "2017-05-25"
    assert headers["authorization"].startswith("ACS3-HMAC-SHA256 Credential=LTAI-test-id,")
    assert "Signature=" in headers["authorization"]
    assert "test-secret" not in json.dumps(dict(request.headers)) + request.url


@pytest.mark.parametrize(
    ("code", "error", "retryable"),
    [
        ("isv.MOBILE_NUMBER_ILLEGAL", InvalidNumber, False),
        ("isv.BUSINESS_LIMIT_CONTROL", ProviderRateLimited, True),
        ("isv.SMS_TEMPLATE_ILLEGAL", TemplateNotApproved, False),
        ("isv.SMS_SIGNATURE_ILLEGAL", TemplateNotApproved, False),
        ("isv.AMOUNT_NOT_ENOUGH", AuthFailure, False),
        ("isp.SYSTEM_ERROR", ProviderUnavailable, True),
    ],
)
def test_aliyun_refusals_in_the_body_map_to_typed_errors(
    monkeypatch, aliyun, code, error, retryable
):
    FakeHttp(monkeypatch, 200, {"Code": code, "Message": "refused", "RequestId": "r2"})

    with pytest.raises(error) as caught:
        aliyun.send(MESSAGE)

    assert type(caught.value) is error
    assert caught.value.provider_code == code
    assert caught.value.retryable is retryable


def test_aliyun_wrong_key_http_error_is_an_auth_failure(monkeypatch, aliyun):
    FakeHttp(
        monkeypatch,
        404,
        {
            "Code": "InvalidAccessKeyId.NotFound",
            "Message": "Specified access key is not found.",
            "RequestId": "r3",
        },
    )

    with pytest.raises(AuthFailure) as caught:
        aliyun.send(MESSAGE)

    assert caught.value.provider_code == "InvalidAccessKeyId.NotFound"
    assert caught.value.retryable is False


def test_aliyun_network_trouble_is_retryable(monkeypatch, aliyun):
    FakeHttp(monkeypatch, 0, requests.ConnectionError("connection refused"))

    with pytest.raises(ProviderUnavailable) as caught:
        aliyun.send(MESSAGE)

    assert caught.value.retryable is True


def _tencent_ok(code="Ok", serial="2645:1", **extra):
    return {
        "Response": {
            "SendStatusSet": [
                {"SerialNo": serial, "PhoneNumber": "+8613800001111", "Fee": 1,
                 "SessionContext": "", "Code": code, "Message": "send success",
                 "IsoCode": "CN"}
            ],
            "RequestId": "t1",
            **extra,
        }
    }  # fmt: skip


def test_tencent_request_shape_and_signature(monkeypatch, tencent):
    http = FakeHttp(monkeypatch, 200, _tencent_ok())

    message_id = tencent.send(MESSAGE)

    assert message_id == "2645:1"
    (request,) = http.requests
    assert urlsplit(request.url).netloc == "sms.tencentcloudapi.com"
    body = json.loads(request.body)
    assert body == {
        "PhoneNumberSet": ["+8613800001111"],
        "SmsSdkAppId": "1400000001",
        "SignName": "共创平台",
        "TemplateId": "SMS_200",
        "TemplateParamSet": ["城市绿地", "缺少说明"],
    }
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["x-tc-action"] == "SendSms"
    assert headers["x-tc-version"] == "2021-01-11"
    assert headers["x-tc-region"] == "ap-guangzhou"
    assert headers["authorization"].startswith("TC3-HMAC-SHA256 Credential=AKID-test-id/")
    assert "Signature=" in headers["authorization"]
    assert "test-key" not in json.dumps(dict(request.headers))


@pytest.mark.parametrize(
    ("code", "error", "retryable"),
    [
        ("InvalidParameterValue.IncorrectPhoneNumber", InvalidNumber, False),
        ("LimitExceeded.PhoneNumberDailyLimit", ProviderRateLimited, True),
        ("FailedOperation.TemplateIncorrectOrUnapproved", TemplateNotApproved, False),
        ("FailedOperation.SignatureIncorrectOrUnapproved", TemplateNotApproved, False),
        ("FailedOperation.InsufficientBalanceInSmsPackage", AuthFailure, False),
    ],
)
def test_tencent_per_number_status_maps_to_typed_errors(
    monkeypatch, tencent, code, error, retryable
):
    FakeHttp(monkeypatch, 200, _tencent_ok(code=code, serial=""))

    with pytest.raises(error) as caught:
        tencent.send(MESSAGE)

    assert type(caught.value) is error
    assert caught.value.provider_code == code
    assert caught.value.retryable is retryable


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("AuthFailure.SignatureFailure", AuthFailure),
        ("AuthFailure.SecretIdNotFound", AuthFailure),
        ("RequestLimitExceeded", ProviderRateLimited),
        ("InternalError.Timeout", ProviderUnavailable),
    ],
)
def test_tencent_api_errors_map_to_typed_errors(monkeypatch, tencent, code, error):
    FakeHttp(
        monkeypatch,
        200,
        {"Response": {"Error": {"Code": code, "Message": "no"}, "RequestId": "t2"}},
    )

    with pytest.raises(error) as caught:
        tencent.send(MESSAGE)

    assert caught.value.provider_code == code


def test_tencent_network_trouble_is_retryable(monkeypatch, tencent):
    FakeHttp(monkeypatch, 0, requests.ConnectionError("connection refused"))

    with pytest.raises(ProviderUnavailable) as caught:
        tencent.send(MESSAGE)

    assert caught.value.retryable is True
