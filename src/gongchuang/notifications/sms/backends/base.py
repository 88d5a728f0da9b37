"""The interface every SMS backend implements, and how ``SMS_BACKEND`` picks one."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from ..errors import SmsError, classify

ALIASES = {
    "console": "gongchuang.notifications.sms.backends.console.ConsoleBackend",
    "file": "gongchuang.notifications.sms.backends.file.FileBackend",
    "aliyun": "gongchuang.notifications.sms.backends.aliyun.AliyunBackend",
    "tencent": "gongchuang.notifications.sms.backends.tencent.TencentBackend",
}


@dataclass(frozen=True)
class SmsMessage:
    """One text message. Providers send ``template_code`` filled with ``params`` (in
    this order for providers with numbered parameters); ``text`` is our own rendering,
    which only the console and file backends write."""

    phone: str
    template_key: str
    template_code: str = ""
    params: dict = field(default_factory=dict)
    text: str = ""


class SmsBackend:
    """Send one message; return the provider's message id or raise ``errors.SmsError``."""

    def send(self, message: SmsMessage) -> str:
        raise NotImplementedError


class ProviderBackend(SmsBackend):
    """A provider's SDK backend; its error codes map to our errors by ``ERRORS`` (exact
    codes) and ``PREFIXES`` (code prefixes), see ``errors.classify``."""

    ERRORS: dict[str, type[SmsError]] = {}
    PREFIXES: dict[str, type[SmsError]] = {}

    def error(self, code: str, message: str) -> SmsError:
        """Our error for the provider's ``code``, with its ``message`` (else the code)."""
        return classify(code, self.ERRORS, self.PREFIXES)(message or code, provider_code=code)


def get_backend() -> SmsBackend:
    path = settings.SMS_BACKEND
    return import_string(ALIASES.get(path, path))()
