from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongchuang.common.registry import dashboard_panels_for
from gongchuang.editions.selectors import current_edition, open_and_upcoming_windows

from .forms import LoginForm
from .models import School
from .passwords import password_change_audit, password_is_expired
from .ratelimit import rate_limited


@method_decorator(rate_limited("login"), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request, original_response=None, credentials=None):
    """The page axes shows to a locked username at this address (AXES_LOCKOUT_CALLABLE)."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@require_GET
def school_options(request):
    """htmx: the <option>s of the schools under the chosen unit."""
    unit_id = request.GET.get("unit", "")
    schools = School.objects.filter(unit_id=unit_id).order_by("name") if unit_id.isdigit() else []
    selected = request.GET.get("school", "")
    return render(
        request, "accounts/_school_options.html", {"schools": schools, "selected": selected}
    )


@login_required
def dashboard(request):
    edition = current_edition()
    roles = request.user.roles
    panels = []
    for panel in dashboard_panels_for(roles):
        context = panel.func(request, edition)
        if context is not None:
            panels.append({"template": panel.template, "context": context})
    windows = open_and_upcoming_windows(edition) if edition else []
    return render(
        request,
        "accounts/dashboard.html",
        {"edition": edition, "panels": panels, "windows": windows, "roles": sorted(roles)},
    )


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


@login_required
def staff_import_view(request):
    """Committee: create staff accounts from an .xlsx sheet (all-or-nothing)."""
    from django.core.exceptions import PermissionDenied

    from .staff_import import HEADERS, parse_staff_sheet, staff_import

    if not request.user.is_committee:
        raise PermissionDenied
    report = None
    if request.method == "POST" and request.FILES.get("sheet"):
        report = parse_staff_sheet(request.FILES["sheet"])
        if not report.errors:
            staff_import(report=report, actor=request.user)
            messages.success(
                request, _("%(n)s accounts were created.") % {"n": len(report.created)}
            )
    return render(request, "accounts/staff_import.html", {"report": report, "columns": HEADERS})


@login_required
def staff_import_template(request):
    """Committee: the staff import's template (.xlsx)."""
    from django.core.exceptions import PermissionDenied

    from gongchuang.common.spreadsheets import template_response

    from .staff_import import COLUMNS

    if not request.user.is_committee:
        raise PermissionDenied
    return template_response(COLUMNS, name=_("staff-import-template"))
