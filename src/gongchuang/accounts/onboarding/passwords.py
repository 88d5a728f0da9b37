"""One-time passwords: given by someone else, changed by the person at first login."""

import secrets

from django.db import transaction

from gongchuang.common.audit import audit_record

from ..models import User

# No look-alikes (0/o, 1/l/i) and no punctuation: read off a paper slip and typed on a
# phone without doubt. 32 symbols × 10 characters ≈ 50 bits, enough for a password that
# must be changed at first use and sits behind the login lockout.
LETTERS = "abcdefghjkmnpqrstuvwxyz"
DIGITS = "23456789"
LENGTH = 10


def one_time_password() -> str:
    """A random password: starts with a letter, has letters and digits (the composition
    rule of ``passwords.LettersAndDigitsValidator``), nothing ambiguous."""
    while True:
        rest = "".join(secrets.choice(LETTERS + DIGITS) for _ in range(LENGTH - 1))
        password = secrets.choice(LETTERS) + rest
        if any(ch in DIGITS for ch in password):
            return password


@transaction.atomic
def give_one_time_password(user: User, *, by) -> str:
    """Set a new random password on ``user`` that must be changed at the next login
    (``must_change_password``; MustChangePasswordMiddleware) and return it, to be shown or
    printed once and never stored. Audited: who gave one to whom, never the password.

    The caller checks that ``by`` may do this for ``user``.
    """
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True  # after set_password(), which clears it
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=by, action="accounts.one_time_password", obj=user,
                 after={"username": user.username})  # fmt: skip
    return password
