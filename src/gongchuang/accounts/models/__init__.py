"""People, organising units, schools and role memberships.

A package split by topic; every model is re-exported here, so ``accounts.models.User``
and ``from gongchuang.accounts.models import ...`` keep working.
"""

from .invitations import Invitation
from .organisation import School, Unit
from .profiles import StudentProfile, TeacherProfile, consent_version
from .user import Membership, PasswordHistory, PasswordHistoryManager, User

__all__ = [
    "Invitation",
    "Membership",
    "PasswordHistory",
    "PasswordHistoryManager",
    "School",
    "StudentProfile",
    "TeacherProfile",
    "Unit",
    "User",
    "consent_version",
]
