"""Onboarding pages: the invitation link, and the actions every list of people created
by staff shares (resend an invitation, print a credentials sheet)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongchuang.common.errors import DomainError
from gongchuang.common.redirects import local_path
from gongchuang.common.spreadsheets import xlsx_response

from ..access import can, permission_required
from ..forms import CredentialsSheetForm
from ..models import Invitation, User
from ..onboarding import (
    credentials_issue,
    credentials_sheet_xlsx,
    credentials_slips_pdf,
    invitation_accept,
    invitation_for_token,
    invitation_usable,
    send_invitation,
)
from ..ratelimit import rate_limited

BACKEND = "gongchuang.accounts.backends.UsernameEmailMobileBackend"


@never_cache
@rate_limited("login")
def invitation(request, token):
    """Anyone holding the link: set the first password, then be signed in."""
    found = invitation_for_token(token)
    if not invitation_usable(found):
        return _invalid(request, found)
    form = SetPasswordForm(found.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(invitation=found, password=form.cleaned_data["new_password1"])
        except DomainError:
            return _invalid(request, invitation_for_token(token))
        login(request, user, backend=BACKEND)
        messages.success(request, _("Your password has been set. Welcome!"))
        return redirect("accounts:dashboard")
    context = {
        "form": form,
        "invited": found.user,
        "reset": found.purpose == Invitation.Purpose.RESET,
    }
    return render(request, "accounts/invitation.html", context)


def _invalid(request, found: Invitation | None):
    """A used, replaced, expired or unknown link: say so and who to ask (status 410/404)."""
    status = found.status() if found is not None else None
    context = {
        "status": status,
        "inviter": found.created_by if found is not None else None,
        "Status": Invitation.Status,
    }
    code = 404 if found is None else 410
    return render(request, "accounts/invitation_invalid.html", context, status=code)


def credentials_response(rows, *, fmt: str) -> HttpResponse:
    """The sheet as a download: ``fmt`` "pdf" (slips to cut) or "xlsx" (a list)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "pdf":
        response = HttpResponse(credentials_slips_pdf(rows), content_type="application/pdf")
        name = _("credentials-slips")
        response["Content-Disposition"] = content_disposition_header(True, f"{name}-{stamp}.pdf")
    else:
        response = xlsx_response(credentials_sheet_xlsx(rows), name=_("credentials-sheet"))
    response["Cache-Control"] = "no-store"
    return response


def _back(request, default: str = "accounts:staff_list"):
    return redirect(local_path(request, request.POST.get("next")) or default)


def _invitee(request, pk):
    return get_object_or_404(User, pk=pk)


@require_POST
@permission_required("accounts.invite_user", obj=_invitee)
def invitation_resend(request, pk):
    """Send a new invitation (the previous link stops working), from a list's row."""
    person = _invitee(request, pk)
    try:
        send_invitation(person, by=request.user, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("A new invitation was sent to %(name)s; the previous link no longer works.")
            % {"name": person.display_name},
        )
    return _back(request)


@require_POST
@permission_required("accounts.print_credentials")
def credentials_sheet(request):
    """Issue one-time passwords for the chosen accounts and download them (confirmed)."""
    form = CredentialsSheetForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return _back(request)
    people = list(User.objects.filter(pk__in=form.cleaned_data["user"]).order_by("real_name"))
    if not people or any(not can(request.user, "accounts.invite_user", p) for p in people):
        messages.error(
            request,
            _(
                "Credentials sheets are only for accounts in your care that have not signed "
                "in yet. Nothing was issued."
            ),
        )
        return _back(request)
    rows = credentials_issue(people, by=request.user)
    return credentials_response(rows, fmt=form.cleaned_data["fmt"])
