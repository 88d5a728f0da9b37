"""Optional TOTP two-factor login for committee and unit-organizer accounts."""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongchuang.common.audit import audit_record
from gongchuang.common.redirects import local_path

from ..access import permission_required
from ..middleware import two_factor_flag_set


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(gettext_lazy("The code is not correct or has expired."))
        return token


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@permission_required("accounts.use_two_factor")
def two_factor_setup(request):
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed is not None:
        return render(request, "accounts/two_factor.html", {"enabled": True, "form": TokenForm()})
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(actor=request.user, action="auth.2fa_enable", obj=request.user)
        otp_login(request, device)
        two_factor_flag_set(request, True)
        messages.success(request, _("Two-factor login is on."))
        return redirect("accounts:two_factor_setup")
    context = {
        "enabled": False,
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def two_factor_disable(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    form = TokenForm(request.POST, device=device)
    if not form.is_valid():
        return render(
            request, "accounts/two_factor.html", {"enabled": True, "form": form}, status=400
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user).delete()
        audit_record(actor=request.user, action="auth.2fa_disable", obj=request.user)
    two_factor_flag_set(request, False)
    messages.success(request, _("Two-factor login is off."))
    return redirect("accounts:two_factor_setup")


@login_required
def two_factor_verify(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    form = TokenForm(request.POST or None, device=device)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(local_path(request, next_url) or "accounts:dashboard")
    if request.method == "POST":
        with transaction.atomic():
            audit_record(actor=request.user, action="auth.2fa_failed", obj=request.user)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})
