"""Tencent Cloud SMS (腾讯云短信, API 2021-01-11) through its official SDK.

Settings: ``SMS_TENCENT_SECRET_ID``, ``SMS_TENCENT_SECRET_KEY``,
``SMS_TENCENT_SDK_APP_ID``, ``SMS_TENCENT_REGION`` and the shared ``SMS_SIGN_NAME``.
Template parameters are numbered (``{1}``, ``{2}``): the values of ``params`` in order.
"""

from django.conf import settings
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.sms.v20210111 import models as sms_models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from ..errors import (
    AuthFailure,
    InvalidNumber,
    ProviderRateLimited,
    ProviderUnavailable,
    TemplateNotApproved,
    classify,
)
from .base import SmsBackend, SmsMessage

# https://cloud.tencent.com/document/product/382/55981 (SendStatus and API error codes)
ERRORS = {
    "InvalidParameterValue.IncorrectPhoneNumber": InvalidNumber,
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": InvalidNumber,
    "UnsupportedOperation.UnsupportedRegion": InvalidNumber,
    "FailedOperation.PhoneNumberInBlacklist": InvalidNumber,
    "FailedOperation.PhoneNumberParseFail": InvalidNumber,
    "FailedOperation.InsufficientBalanceInSmsPackage": AuthFailure,
    "FailedOperation.TemplateIncorrectOrUnapproved": TemplateNotApproved,
    "FailedOperation.SignatureIncorrectOrUnapproved": TemplateNotApproved,
    "FailedOperation.MissingTemplateToModify": TemplateNotApproved,
    "InvalidParameterValue.TemplateParameterFormatError": TemplateNotApproved,
    "InvalidParameterValue.TemplateParameterLengthLimit": TemplateNotApproved,
    "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter": TemplateNotApproved,
    "InvalidParameterValue.SdkAppIdNotExist": AuthFailure,
    "ClientNetworkError": ProviderUnavailable,
}
PREFIXES = {
    "LimitExceeded.": ProviderRateLimited,
    "RequestLimitExceeded": ProviderRateLimited,
    "AuthFailure.": AuthFailure,
    "UnauthorizedOperation.": AuthFailure,
    "InternalError.": ProviderUnavailable,
}


class TencentBackend(SmsBackend):
    def __init__(self, client: SmsClient | None = None):
        self.client = client or SmsClient(
            credential.Credential(settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY),
            settings.SMS_TENCENT_REGION,
        )

    def send(self, message: SmsMessage) -> str:
        request = sms_models.SendSmsRequest()
        request.PhoneNumberSet = [_e164(message.phone)]
        request.SmsSdkAppId = settings.SMS_TENCENT_SDK_APP_ID
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = message.template_code
        request.TemplateParamSet = [str(v) for v in message.params.values()]
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            code = exc.get_code() or ""
            raise classify(code, ERRORS, PREFIXES)(
                exc.get_message() or code, provider_code=code
            ) from exc
        if not response.SendStatusSet:
            raise ProviderUnavailable(f"no send status (request {response.RequestId})")
        status = response.SendStatusSet[0]
        if status.Code != "Ok":
            raise classify(status.Code, ERRORS, PREFIXES)(status.Message, provider_code=status.Code)
        return status.SerialNo or response.RequestId or ""


def _e164(phone: str) -> str:
    """Tencent wants +86… for mainland numbers; ours are stored as 11 digits."""
    return phone if phone.startswith("+") else f"+86{phone}"
