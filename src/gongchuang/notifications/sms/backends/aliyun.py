"""Aliyun (阿里云短信服务, Dysmsapi 2017-05-25) through its official SDK.

Settings: ``SMS_ALIYUN_ACCESS_KEY_ID``, ``SMS_ALIYUN_ACCESS_KEY_SECRET``,
``SMS_ALIYUN_ENDPOINT`` and the shared ``SMS_SIGN_NAME``. Template parameters are
named (``${code}``) and sent as one JSON object.
"""

import json

from alibabacloud_dysmsapi20170525 import models as sms_models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi import utils_models as open_api_models
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from django.conf import settings

from .. import errors
from .base import ProviderBackend, SmsMessage

# https://help.aliyun.com/zh/sms/developer-reference/api-error-codes
ERRORS = {
    "isv.MOBILE_NUMBER_ILLEGAL": errors.InvalidNumber,
    "isv.MOBILE_COUNT_OVER_LIMIT": errors.InvalidNumber,
    "isv.BUSINESS_LIMIT_CONTROL": errors.ProviderRateLimited,
    "isv.DAY_LIMIT_CONTROL": errors.ProviderRateLimited,
    "isv.OUT_OF_SERVICE": errors.AuthFailure,
    "isv.AMOUNT_NOT_ENOUGH": errors.AuthFailure,
    "isv.ACCOUNT_NOT_EXISTS": errors.AuthFailure,
    "isv.ACCOUNT_ABNORMAL": errors.AuthFailure,
    "isp.SYSTEM_ERROR": errors.ProviderUnavailable,
    "isp.RAM_PERMISSION_DENY": errors.AuthFailure,
    "Throttling.User": errors.ProviderRateLimited,
}
PREFIXES = {
    "isv.SMS_TEMPLATE": errors.TemplateNotApproved,
    "isv.SMS_SIGNATURE": errors.TemplateNotApproved,
    "isv.SMS_SIGN": errors.TemplateNotApproved,
    "isv.TEMPLATE": errors.TemplateNotApproved,
    "isv.INVALID_JSON_PARAM": errors.TemplateNotApproved,
    "isv.PARAM_LENGTH_LIMIT": errors.TemplateNotApproved,
    "InvalidAccessKeyId": errors.AuthFailure,
    "SignatureDoesNotMatch": errors.AuthFailure,
    "Forbidden": errors.AuthFailure,
    "Throttling": errors.ProviderRateLimited,
}


class AliyunBackend(ProviderBackend):
    ERRORS = ERRORS
    PREFIXES = PREFIXES

    def __init__(self, client: Client | None = None):
        self.client = client or Client(
            open_api_models.Config(
                access_key_id=settings.SMS_ALIYUN_ACCESS_KEY_ID,
                access_key_secret=settings.SMS_ALIYUN_ACCESS_KEY_SECRET,
                endpoint=settings.SMS_ALIYUN_ENDPOINT,
            )
        )

    def send(self, message: SmsMessage) -> str:
        request = sms_models.SendSmsRequest(
            phone_numbers=message.phone,
            sign_name=settings.SMS_SIGN_NAME,
            template_code=message.template_code,
            template_param=json.dumps(
                {k: str(v) for k, v in message.params.items()}, ensure_ascii=False
            ),
        )
        try:
            response = self.client.send_sms(request)
        except AlibabaCloudException as exc:
            raise self.error(exc.code or "", exc.message) from exc
        except Exception as exc:  # network trouble: requests/urllib3 errors
            raise errors.ProviderUnavailable(f"{type(exc).__name__}: {exc}") from exc
        body = response.body
        if body.code != "OK":
            raise self.error(body.code or "", body.message)
        return body.biz_id or body.request_id or ""
