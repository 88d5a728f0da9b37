"""Staff session rules: idle timeout, two-factor login, password maximum age."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .access import can
from .passwords import password_is_expired

_KEY = "last_activity"
# Write the session at most this often, not on every request.
_TOUCH_EVERY = 60


class _SignedInMiddleware:
    """Runs :meth:`intercept` for signed-in people; a response it returns replaces the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self.intercept(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def intercept(self, request, user) -> HttpResponse | None:
        raise NotImplementedError


class StaffIdleTimeoutMiddleware(_SignedInMiddleware):
    """Log out staff who were idle too long; students and teachers keep the normal expiry."""

    def intercept(self, request, user):
        if not user.holds_staff_role:
            return None
        now = int(time.time())
        last = request.session.get(_KEY)
        if last is not None and now - last > settings.STAFF_SESSION_IDLE_SECONDS:
            logout(request)
            messages.warning(request, _("You were logged out after a period of inactivity."))
            return redirect_to_login(request.get_full_path())
        if last is None or now - last >= _TOUCH_EVERY:
            request.session[_KEY] = now
        return None


class TwoFactorRequiredMiddleware(_SignedInMiddleware):
    """People who turned on two-factor login must enter their code before anything else.

    Runs after django_otp's OTPMiddleware (``request.user.is_verified()``). Only
    people holding ``accounts.use_two_factor`` (committee and unit organizers) can
    turn it on (accounts/views/two_factor.py).
    """

    def intercept(self, request, user):
        if (
            can(user, "accounts.use_two_factor")
            and not user.is_verified()
            and not request.path.startswith(_TWO_FACTOR_EXEMPT)
            and _has_confirmed_device(request)
        ):
            return redirect_to_login(
                request.get_full_path(), login_url="accounts:two_factor_verify"
            )
        return None


_TWO_FACTOR_EXEMPT = ("/accounts/2fa/verify/", "/accounts/logout/", "/static/", "/i18n/")


_SESSION_FLAG = "two_factor_required"


def _has_confirmed_device(request) -> bool:
    """Whether the user has turned two-factor on, looked up once per session.

    Turning it on or off (views/two_factor.py) updates the flag of the session doing it;
    other sessions see the change at their next login.
    """
    flag = request.session.get(_SESSION_FLAG)
    if flag is None or flag[0] != request.user.pk:
        from django_otp import user_has_device

        flag = (request.user.pk, user_has_device(request.user, confirmed=True))
        request.session[_SESSION_FLAG] = flag
    return bool(flag[1])


def two_factor_flag_set(request, enabled: bool) -> None:
    request.session[_SESSION_FLAG] = (request.user.pk, enabled)


class PasswordExpiredMiddleware(_SignedInMiddleware):
    """Staff whose password is older than PASSWORD_MAX_AGE_DAYS change it before anything else.

    Runs after the two-factor check, so the code is asked for first. The change
    page explains why (accounts.views.signin.PasswordChangeView) and returns to the
    page the person wanted; htmx requests get an ``HX-Redirect`` to it instead of a
    fragment.
    """

    def intercept(self, request, user):
        return _to_password_change(request) if password_is_expired(user) else None


def _to_password_change(request) -> HttpResponse | None:
    """Send the person to the change page (and back to ``next`` afterwards), unless the
    request is one of the exempt pages."""
    if request.path.startswith(_password_expiry_exempt()):
        return None
    url = reverse("accounts:password_change")
    if request.headers.get("HX-Request"):
        return HttpResponseClientRedirect(url)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


def _password_expiry_exempt() -> tuple[str, ...]:
    return (
        reverse("accounts:password_change"),
        reverse("accounts:logout"),
        reverse("accounts:two_factor_verify"),
        settings.STATIC_URL,
        "/i18n/",
    )


class MustChangePasswordMiddleware(_SignedInMiddleware):
    """People signed in with a one-time password (``User.must_change_password``, set by
    ``onboarding.give_one_time_password``) choose their own before anything else.

    Like PasswordExpiredMiddleware: the change page (which explains why), logging out,
    the two-factor code, static files and the language switch stay open; htmx requests
    get an ``HX-Redirect``. Setting a password clears the flag (``User.set_password``).
    """

    def intercept(self, request, user):
        return _to_password_change(request) if user.must_change_password else None
