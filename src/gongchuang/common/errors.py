"""Errors that carry a user-facing (translated) message."""


class DomainError(Exception):
    """A rule of the activity was broken; ``message`` is shown to the user as is.

    Services raise it with a translated message (``gettext``); views catch it
    and attach the message to the form or to the page's messages.
    """

    def __init__(self, message, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
