"""The invitation link page, and the credentials sheet download shared by the lists."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gongchuang.common.errors import DomainError
from gongchuang.common.spreadsheets import xlsx_response

from ..models import Invitation
from ..onboarding import (
    credentials_sheet_xlsx,
    credentials_slips_pdf,
    invitation_accept,
    invitation_for_token,
    invitation_usable,
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
    return render(request, "accounts/invitation.html", {"form": form, "invited": found.user})


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
