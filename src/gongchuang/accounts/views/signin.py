"""Signing in, the lockout page, and changing or resetting a password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..forms import LoginForm, ResetByEmailForm
from ..passwords import password_change_audit, password_is_expired
from ..ratelimit import rate_limited


@method_decorator(rate_limited("login"), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request, original_response=None, credentials=None):
    """The page axes shows to a locked username at this address (AXES_LOCKOUT_CALLABLE)."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Also where PasswordExpiredMiddleware sends staff whose password is too old."""

    template_name = "accounts/password_change.html"

    def get_form_kwargs(self):
        # The form saves the whole row: start from the current one, not the copy the
        # process keeps for a moment (accounts.kept_users).
        self.request.user.refresh_from_db()
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self._next_url() or ""
        if password_is_expired(self.request.user):
            context["expired_message"] = _(
                "Your password has not been changed for more than %(days)d days. "
                "For the security of your account, please change it before you continue."
            ) % {"days": settings.PASSWORD_MAX_AGE_DAYS}
        elif self.request.user.must_change_password:
            context["expired_message"] = _(
                "You logged in with a one-time password. Please choose your own password "
                "before you continue: enter the one-time password as the old password."
            )
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_audit(user=form.user, actor=form.user, how="self")
        messages.success(self.request, _("Your password has been changed."))
        return response

    def get_success_url(self):
        return self._next_url() or reverse("accounts:dashboard")

    def _next_url(self) -> str | None:
        url = self.request.POST.get("next") or self.request.GET.get("next")
        safe = url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return url if safe else None


class PasswordResetView(auth_views.PasswordResetView):
    """The mail's link is built on SITE_URL (password_reset_email.txt), not on the request's
    Host header, which a forged request could point at another site (host header injection)."""

    template_name = "accounts/password_reset.html"
    form_class = ResetByEmailForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_audit(user=form.user, actor=form.user, how="reset")
        messages.success(self.request, _("Your password has been reset. Please log in."))
        return response
