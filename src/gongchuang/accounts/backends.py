from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .kept_users import kept_user


class UsernameEmailMobileBackend(ModelBackend):
    """Log in with a username, an e-mail address or a mobile number."""

    def get_user(self, user_id):
        """The signed-in person of a request, kept by the process a moment (kept_users)."""
        return kept_user(user_id, super().get_user)

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        login = username.strip()
        candidates = User.objects.filter(
            Q(username__iexact=login) | Q(email__iexact=login) | Q(mobile=login)
        )[:2]
        if len(candidates) != 1:
            # Run the hasher anyway so timing does not reveal whether the account exists.
            User().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
