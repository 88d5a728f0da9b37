"""Onboarding: letting in people whose accounts someone else created.

Every page that creates accounts for others (staff import, expert import, roster import,
single creation) calls :func:`onboard`: an invitation — a single-use set-password link,
valid ``INVITATION_VALID_DAYS`` days, by e-mail and/or SMS — to each new account with an
e-mail address or mobile number; the others get a one-time password on a printed
credentials sheet (xlsx list or PDF slips) when staff make one. A one-time password must
be changed at the first login (``User.must_change_password``,
``accounts.middleware.MustChangePasswordMiddleware``). Plain passwords are never stored:
each sheet issues new ones.

Public interface:

- ``give_one_time_password(user, *, by) -> str``
- ``send_invitation(user, *, by, request=None) -> Invitation``
- ``onboard(users, *, by, request=None) -> OnboardingResult``
- ``credentials_issue(users, *, by) -> list[CredentialRow]``,
  ``credentials_sheet_xlsx(rows) -> bytes``, ``credentials_slips_pdf(rows) -> bytes``
- ``invitation_for_token``, ``invitation_usable``, ``invitation_accept``: the link page
- ``with_invitation(queryset)``, ``onboarding_status(user)``, ``onboarding_rows(viewer,
  people)``, ``not_signed_in(user)``: lists (templates ``accounts/_onboarding_status.html``,
  ``_onboarding_actions.html``, ``_credentials_form.html``)

Callers check permissions (``accounts.invite_user`` for one account); these functions
audit every change.
"""

from .credentials import (
    CredentialRow,
    credentials_issue,
    credentials_sheet_xlsx,
    credentials_slips_pdf,
    login_url,
    school_of,
)
from .invitations import (
    contact_channels,
    invitation_accept,
    invitation_for_token,
    invitation_usable,
    send_invitation,
    with_invitation,
)
from .passwords import give_one_time_password, one_time_password
from .service import OnboardingResult, onboard
from .status import OnboardingStatus, not_signed_in, onboarding_rows, onboarding_status

__all__ = [
    "CredentialRow",
    "OnboardingResult",
    "OnboardingStatus",
    "contact_channels",
    "credentials_issue",
    "credentials_sheet_xlsx",
    "credentials_slips_pdf",
    "give_one_time_password",
    "invitation_accept",
    "invitation_for_token",
    "invitation_usable",
    "login_url",
    "not_signed_in",
    "onboard",
    "onboarding_rows",
    "onboarding_status",
    "one_time_password",
    "school_of",
    "send_invitation",
    "with_invitation",
]
