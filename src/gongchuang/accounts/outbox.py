"""How accounts sends e-mails and inbox messages (registration, activation) without
importing ``notifications``, an app above it that imports accounts.

The notifications app installs its two senders here in its ``AppConfig.ready()``; the
signatures and the after-commit sending are those of ``notifications.services.email_send``
and ``notify``.
"""

from collections.abc import Callable

_senders: dict[str, Callable] = {}


def install(*, email_send: Callable, notify: Callable) -> None:
    _senders.update(email_send=email_send, notify=notify)


def email_send(**kwargs):
    """Queue one e-mail to an address (no inbox message)."""
    return _senders["email_send"](**kwargs)


def notify(**kwargs):
    """Put a message in each recipient's inbox, and e-mail those with an address."""
    return _senders["notify"](**kwargs)
