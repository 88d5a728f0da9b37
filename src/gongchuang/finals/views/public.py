"""Public pages: certificate verification and published results."""

from django.shortcuts import redirect, render

from gongchuang.common.masking import mask_name
from gongchuang.publicity.selectors import award_list

from .. import selectors
from ..forms import VerifyForm
from ..models import Certificate


def _award_publicity():
    """The current edition's award list while its results are not yet published."""
    event = selectors.current_event()
    if event is None or event.is_published:
        return None
    return award_list(event.edition)


def verify_form(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("finals:verify", code=form.cleaned_data["code"])
    return render(
        request,
        "finals/verify.html",
        {"form": form, "searched": False, "award_publicity": _award_publicity()},
    )


def verify(request, code: str):
    """Anyone can check a certificate: masked name for minors, work, award, edition — or 未找到."""
    certificate = (
        Certificate.objects.filter(code=code.strip().upper(), revoked_at__isnull=True)
        .select_related("user", "work", "event__edition")
        .first()
    )
    name = ""
    if certificate is not None:
        # hasattr is False when the person has no student profile (teachers, advisors).
        profile = (
            certificate.user.student_profile
            if hasattr(certificate.user, "student_profile")
            else None
        )
        name = certificate.user.display_name
        if profile is not None and profile.is_minor:
            name = mask_name(name)
    response = render(
        request,
        "finals/verify.html",
        {
            "form": VerifyForm(initial={"code": code}),
            "searched": True,
            "certificate": certificate,
            "name": name,
            "award_publicity": _award_publicity(),
        },
    )
    if certificate is None:
        response.status_code = 404
    return response


def results(request):
    event = selectors.current_event()
    groups = selectors.published_results(event) if event else []
    return render(request, "finals/results.html", {"event": event, "groups": groups})
