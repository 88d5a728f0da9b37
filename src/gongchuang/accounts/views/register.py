"""Self-registration pages: the forms (with their school choices), the "check your inbox"
answer and activation."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongchuang.common.errors import DomainError
from gongchuang.common.middleware import client_ip

from .. import outbox
from ..forms import StudentRegistrationForm, TeacherRegistrationForm
from ..models import User
from ..ratelimit import rate_limited
from ..registration import (
    CODE_FIELDS,
    account_activate,
    activation_tokens,
    registration_phones_prove,
    registration_submit,
)

BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"


@rate_limited("registration")
def register_student(request):
    return _register(request, StudentRegistrationForm, "student")


@rate_limited("registration")
def register_teacher(request):
    return _register(request, TeacherRegistrationForm, "teacher")


_PROVEN_KEY = "register_proven"  # numbers proven by code in this session (a retry keeps them)


def _register(request, form_class, kind: str):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        proven = set(request.session.get(_PROVEN_KEY, []))
        try:
            try:
                registration_phones_prove(data=form.cleaned_data, proven=proven)
            finally:
                request.session[_PROVEN_KEY] = sorted(proven)
            user = registration_submit(kind=kind, data=form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.code if exc.code in form.fields else None, exc.message)
            return render(request, "accounts/register.html", {"form": form, "kind": kind})
        request.session.pop(_PROVEN_KEY, None)
        if user is None:
            # The same answer whether or not the address was known (accounts.registration).
            return redirect("accounts:register_sent")
        login(request, user, backend=BACKEND)
        messages.success(request, _("Welcome! Your account has been created."))
        return redirect("accounts:dashboard")
    return render(request, "accounts/register.html", {"form": form, "kind": kind})


@require_POST
@rate_limited("registration")
def register_code(request):
    """Text a code to the number in the registration form's ``field`` (htmx: the answer
    is the status line under the button; ``sent`` starts the wait before a new one)."""
    purposes = {field: purpose for field, _code, purpose in CODE_FIELDS}
    field = request.POST.get("field", "")
    if field not in purposes:
        return render(
            request,
            "accounts/_sms_code_status.html",
            {"error": _("Enter an 11-digit mainland China mobile number.")},
        )
    try:
        outbox.phone_code_send(
            phone=request.POST.get(field, ""), purpose=purposes[field], ip=client_ip(request)
        )
    except DomainError as exc:
        return render(request, "accounts/_sms_code_status.html", {"error": exc.message})
    return render(request, "accounts/_sms_code_status.html", {"sent": True})


@require_GET
def register_sent(request):
    return render(request, "accounts/register_sent.html", _links())


def activate(request, uidb64: str, token: str):
    """GET shows whose account the link activates; POST (the button) activates it.

    A mail scanner that follows links only GETs, so it never activates an account.
    """
    user = _user_of_link(uidb64, token)
    if user is None:
        return render(request, "accounts/activate.html", {"invalid": True, **_links()}, status=400)
    if request.method == "POST":
        user = account_activate(user=user)
        login(request, user, backend=BACKEND)
        messages.success(request, _("Your account is active. Welcome!"))
        return redirect("accounts:dashboard")
    return render(request, "accounts/activate.html", {"account": user})


def _links() -> dict:
    return {"login_url": reverse("accounts:login"), "reset_url": reverse("accounts:password_reset")}


def _user_of_link(uidb64: str, token: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=False).first()
    if user is None or not activation_tokens.check_token(user, token):
        return None
    return user
