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

from .. import errors
from .base import ProviderBackend, SmsMessage

# https://cloud.tencent.com/document/product/382/55981 (SendStatus and API error codes)
ERRORS = {
    "InvalidParameterValue.IncorrectPhoneNumber": errors.InvalidNumber,
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": errors.InvalidNumber,
    "UnsupportedOperation.UnsupportedRegion": errors.InvalidNumber,
    "FailedOperation.PhoneNumberInBlacklist": errors.InvalidNumber,
    "FailedOperation.PhoneNumberParseFail": errors.InvalidNumber,
    "FailedOperation.InsufficientBalanceInSmsPackage": errors.AuthFailure,
    "FailedOperation.TemplateIncorrectOrUnapproved": errors.TemplateNotApproved,
    "FailedOperation.SignatureIncorrectOrUnapproved": errors.TemplateNotApproved,
    "FailedOperation.MissingTemplateToModify": errors.TemplateNotApproved,
    "InvalidParameterValue.TemplateParameterFormatError": errors.TemplateNotApproved,
    "InvalidParameterValue.TemplateParameterLengthLimit": errors.TemplateNotApproved,
    "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter": errors.TemplateNotApproved,
    "InvalidParameterValue.SdkAppIdNotExist": errors.AuthFailure,
    "ClientNetworkError": errors.ProviderUnavailable,
}
PREFIXES = {
    "LimitExceeded.": errors.ProviderRateLimited,
    "RequestLimitExceeded": errors.ProviderRateLimited,
    "AuthFailure.": errors.AuthFailure,
    "UnauthorizedOperation.": errors.AuthFailure,
    "InternalError.": errors.ProviderUnavailable,
}


class TencentBackend(ProviderBackend):
    ERRORS = ERRORS
    PREFIXES = PREFIXES

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
            raise self.error(exc.get_code() or "", exc.get_message()) from exc
        if not response.SendStatusSet:
            raise errors.ProviderUnavailable(f"no send status (request {response.RequestId})")
        status = response.SendStatusSet[0]
        if status.Code != "Ok":
            raise self.error(status.Code, status.Message)
        return status.SerialNo or response.RequestId or ""


def _e164(phone: str) -> str:
    """Tencent wants +86… for mainland numbers; ours are stored as 11 digits."""
    return phone if phone.startswith("+") else f"+86{phone}"
