"""Text messages (SMS), the second channel beside e-mail.

``SMS_BACKEND`` chooses where messages go: ``console`` (standard output, the
default), ``file`` (one file per message under ``SMS_FILE_PATH``), ``aliyun`` or
``tencent`` (the providers' official SDKs), or the dotted path of a class. Messages
are queued in the same outbox as e-mail (``services.sms_queue``) and sent by
``tasks.send_sms_delivery``.
"""

from .backends.base import SmsBackend, SmsMessage, get_backend
from .errors import SmsError

__all__ = ["SmsBackend", "SmsError", "SmsMessage", "get_backend", "send"]


def send(
    phone: str, template_key: str, params: dict, *, template_code: str = "", text: str = ""
) -> str:
    """Send one message now through ``SMS_BACKEND``: the provider's message id, or SmsError."""
    message = SmsMessage(
        phone=phone,
        template_key=template_key,
        template_code=template_code,
        params=params,
        text=text,
    )
    return get_backend().send(message)
