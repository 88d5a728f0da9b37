"""``onboard``: what every page that creates accounts for others calls."""

from dataclasses import dataclass, field

from ..models import User
from .invitations import contact_channels, send_invitation
from .status import not_signed_in


@dataclass
class OnboardingResult:
    """Who got an invitation, who needs a credentials sheet (no e-mail, no mobile), and
    who was left alone (already signed in, or inactive)."""

    invited: list[User] = field(default_factory=list)
    needs_sheet: list[User] = field(default_factory=list)
    skipped: list[User] = field(default_factory=list)

    @property
    def sheet_user_ids(self) -> list[int]:
        return [user.pk for user in self.needs_sheet]

    def __len__(self) -> int:
        return len(self.invited) + len(self.needs_sheet)


def onboard(users, *, by, request=None) -> OnboardingResult:
    """Let new accounts in: an invitation to each one with an e-mail address or a mobile
    number; the others are listed as needing a credentials sheet (``credentials_issue``
    gives them one-time passwords when the sheet is printed). Runs in the caller's
    transaction; the messages go after it commits."""
    result = OnboardingResult()
    for user in users:
        if not not_signed_in(user):
            result.skipped.append(user)
        elif contact_channels(user):
            send_invitation(user, by=by, request=request)
            result.invited.append(user)
        else:
            result.needs_sheet.append(user)
    return result
