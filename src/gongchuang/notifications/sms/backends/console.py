"""Write messages to standard output (the default; like Django's console e-mail backend)."""

import json
import sys
import threading
import uuid

from .base import SmsBackend, SmsMessage

_lock = threading.Lock()


def format_message(message: SmsMessage, message_id: str) -> str:
    params = json.dumps(message.params, ensure_ascii=False)
    return (
        f"SMS {message_id}\nTo: {message.phone}\nTemplate: {message.template_key}"
        f" ({message.template_code or '-'})\nParams: {params}\n\n{message.text}\n"
    )


class ConsoleBackend(SmsBackend):
    def __init__(self, stream=None):
        self.stream = stream

    def send(self, message: SmsMessage) -> str:
        message_id = f"console-{uuid.uuid4().hex[:12]}"
        stream = self.stream or sys.stdout
        with _lock:
            stream.write(format_message(message, message_id) + "-" * 40 + "\n")
            stream.flush()
        return message_id
