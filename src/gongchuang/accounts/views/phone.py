"""SMS-code pages: log in by code, reset a password by code, verify one's number.

Login and reset answer the same for numbers without an account (no SMS is sent then;
notifications/sms/codes.py); both count against the login rate limit per address,
and the axes lockout applies to the number and to the account it finds.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from gongchuang.common.errors import DomainError
from gongchuang.common.middleware import client_ip

from .. import outbox
from ..access import permission_required
from ..enums import PhoneCodePurpose
from ..forms_phone import GuardianCodeForm, PhoneForm
from ..models import StudentProfile, User
from ..passwords import password_change_audit
from ..phone import (
    guardian_sms_disable,
    guardian_sms_enable,
    mobile_verify,
    phone_login_user,
    phone_reset_user,
)
from ..ratelimit import rate_limited
from .signin import locked_out

BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"
_RESET_KEY = "phone_reset"
_RESET_SECONDS = 600  # time to choose the new password once the code was accepted


def _send(request, form, purpose: str, user=None) -> bool:
    """Send a code for the form's number; a message or a form error. True when sent."""
    try:
        outbox.phone_code_send(phone=form.cleaned_data["phone"], purpose=purpose, ip=client_ip(request),
                        user=user)  # fmt: skip
    except DomainError as exc:
        form.add_error("phone" if exc.code == "phone" else None, exc.message)
        return False
    if purpose == PhoneCodePurpose.VERIFY:
        text = _("A code has been sent to this number. It is valid for 5 minutes.")
    else:
        text = _(
            "If this number belongs to an account, a code has been sent to it. "
            "It is valid for 5 minutes."
        )
    messages.info(request, text)
    return True


def _number(form) -> str:
    """The number as the codes store it (the axes key too, so spelling it differently
    does not dodge the lockout); as typed if it is no mobile number at all."""
    try:
        return outbox.phone_normalise(form.cleaned_data["phone"])
    except DomainError:
        return form.cleaned_data["phone"].strip()


def _locked(request, phone: str) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": phone})


def _failed(request, phone: str, form, exc: DomainError) -> None:
    user_login_failed.send(sender=__name__, credentials={"username": phone}, request=request)
    form.add_error("code", exc.message)


def _locked_out(request):
    return locked_out(request)


def _code_step(request, form, purpose, check):
    """The number, then the code (log in or reset): send a code, or check the one given
    with ``check(phone=, code=)``. Returns (sent, user or None, a refusal page or None)."""
    sent = request.method == "POST"
    if not (sent and form.is_valid()):
        return sent, None, None
    phone = _number(form)
    if request.POST.get("action") != "confirm":
        return _send(request, form, purpose), None, None
    if _locked(request, phone):
        return sent, None, _locked_out(request)
    try:
        return sent, check(phone=phone, code=form.cleaned_data["code"]), None
    except DomainError as exc:
        _failed(request, phone, form, exc)
        return sent, None, None


@rate_limited("login")
def phone_login(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = PhoneForm(request.POST or None)
    sent, user, refusal = _code_step(request, form, PhoneCodePurpose.LOGIN, phone_login_user)
    if refusal is not None:
        return refusal
    if user is not None:
        if _locked(request, user.get_username()):
            return _locked_out(request)
        axes_reset(ip=getattr(request, "axes_ip_address", None), username=_number(form))
        login(request, user, backend=BACKEND)
        return redirect(_next_url(request))
    next_url = request.POST.get("next", request.GET.get("next", ""))
    context = {"form": form, "sent": sent, "next": next_url}
    return render(request, "accounts/phone_login.html", context)


def _next_url(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return settings.LOGIN_REDIRECT_URL


@rate_limited("login")
def phone_reset(request):
    """Step 1 and 2 of a reset by code: the number, then the code; step 3 is the password."""
    form = PhoneForm(request.POST or None)
    sent, user, refusal = _code_step(request, form, PhoneCodePurpose.RESET, phone_reset_user)
    if refusal is not None:
        return refusal
    if user is not None:
        request.session[_RESET_KEY] = {"user": user.pk, "at": int(time.time())}
        return redirect("accounts:phone_reset_password")
    return render(request, "accounts/phone_reset.html", {"form": form, "sent": sent})


@rate_limited("login")
def phone_reset_password(request):
    """Step 3: the new password, for the account whose code was accepted a moment ago."""
    state = request.session.get(_RESET_KEY) or {}
    user = User.objects.filter(pk=state.get("user"), is_active=True).first()
    if user is None or time.time() - state.get("at", 0) > _RESET_SECONDS:
        request.session.pop(_RESET_KEY, None)
        messages.error(request, _("Please request a new code to reset your password."))
        return redirect("accounts:phone_reset")
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        password_change_audit(user=user, actor=user, how="sms_reset")
        request.session.pop(_RESET_KEY, None)
        messages.success(request, _("Your password has been reset. Please log in."))
        return redirect("accounts:login")
    return render(request, "accounts/phone_reset_password.html", {"form": form})


@login_required
@rate_limited("login")
def phone_verify(request):
    """Prove one's mobile number (a new one, or the one on file) with a code."""
    user = request.user
    form = PhoneForm(request.POST or None, initial={"phone": user.mobile})
    sent = request.method == "POST"
    if sent and form.is_valid():
        phone = form.cleaned_data["phone"]
        if request.POST.get("action") != "confirm":
            sent = _send(request, form, PhoneCodePurpose.VERIFY, user=user)
        else:
            try:
                mobile_verify(user=user, phone=phone, code=form.cleaned_data["code"])
            except DomainError as exc:
                form.add_error("code", exc.message)
            else:
                messages.success(request, _("Your mobile number has been verified."))
                return redirect(reverse("accounts:phone_verify"))
    return render(request, "accounts/phone_verify.html", {"form": form, "sent": sent})


@permission_required("accounts.manage_guardian_sms")
@rate_limited("login")
def guardian_sms(request):
    """Choose that key notices go by SMS to one's guardian too ("send" a code to the
    guardian's number, "confirm" it; "on" when it was proven before; "off" stops)."""
    profile = get_object_or_404(StudentProfile, user=request.user)
    form = GuardianCodeForm(request.POST or None)
    action, sent = request.POST.get("action"), False
    if request.method == "POST" and form.is_valid():
        try:
            sent = _guardian_step(request, profile, action, form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code" if action == "confirm" else None, exc.message)
            sent = action == "confirm"
        else:
            if not sent:
                return redirect("accounts:guardian_sms")
    context = {"form": form, "profile": profile, "sent": sent}
    return render(request, "accounts/guardian_sms.html", context)


def _guardian_step(request, profile, action: str | None, code: str) -> bool:
    """One step of the guardian page, with its message; True when a code was sent."""
    user = request.user
    if action == "send":
        outbox.phone_code_send(
            phone=profile.guardian_phone, purpose=PhoneCodePurpose.GUARDIAN,
            ip=client_ip(request), user=user,
        )  # fmt: skip
        text = _("A code has been sent to your guardian's number. It is valid for 5 minutes.")
        messages.info(request, text)
        return True
    if action == "off":
        guardian_sms_disable(user=user)
        messages.success(request, _("Key notices no longer go to your guardian by SMS."))
    else:
        guardian_sms_enable(user=user, code=code)
        messages.success(request, _("Key notices now go to your guardian by SMS too."))
    return False
