"""One file per message under ``SMS_FILE_PATH`` (like Django's file-based e-mail backend)."""

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .base import SmsBackend, SmsMessage
from .console import format_message


class FileBackend(SmsBackend):
    def __init__(self, file_path: str | None = None):
        path = file_path or settings.SMS_FILE_PATH
        if not path:
            raise ImproperlyConfigured("SMS_BACKEND=file needs SMS_FILE_PATH")
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)

    def send(self, message: SmsMessage) -> str:
        """Write ``<time>-<id>.json``: the message as JSON, with the console's text too."""
        message_id = f"file-{uuid.uuid4().hex[:12]}"
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        record = {
            "id": message_id,
            "phone": message.phone,
            "template_key": message.template_key,
            "template_code": message.template_code,
            "params": message.params,
            "text": message.text,
            "display": format_message(message, message_id),
        }
        path = self.path / f"{stamp}-{message_id}.json"
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
        return message_id
