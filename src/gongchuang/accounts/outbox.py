"""How accounts sends e-mails, inbox messages and SMS codes (registration, activation,
log in or reset by code) without importing ``notifications``, an app above it that
imports accounts.

The notifications app installs its senders here in its ``AppConfig.ready()``; the
signatures and behaviour are those of ``notifications.services.email_send``,
``contacts_send`` and ``notify`` and of ``notifications.sms.codes``
``phone_code_send``, ``phone_code_check`` and ``phone_normalise``.
"""

from collections.abc import Callable

_senders: dict[str, Callable] = {}


def install(**senders: Callable) -> None:
    _senders.update(senders)


def email_send(**kwargs):
    """Queue one e-mail to an address (no inbox message)."""
    return _senders["email_send"](**kwargs)


def contacts_send(**kwargs):
    """Send a message kind's wording straight to a person's e-mail and/or mobile number
    (no inbox message); returns the channels used."""
    return _senders["contacts_send"](**kwargs)


def notify(**kwargs):
    """Put a message in each recipient's inbox, and e-mail those with an address."""
    return _senders["notify"](**kwargs)


def phone_code_send(**kwargs):
    """Send a new SMS code for a purpose (``PhoneCodePurpose``) to a number."""
    return _senders["phone_code_send"](**kwargs)


def phone_code_check(**kwargs):
    """Use the open code of a number and purpose (DomainError when wrong or expired)."""
    return _senders["phone_code_check"](**kwargs)


def phone_normalise(phone: str) -> str:
    """The 11 digits of a mainland mobile number, or DomainError."""
    return _senders["phone_normalise"](phone)
