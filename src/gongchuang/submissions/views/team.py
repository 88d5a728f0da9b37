"""Inviting co-authors and advisors; answering invitations; removing members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.common.errors import DomainError

from .. import selectors, services
from ..forms import InviteForm
from ..models import Authorship
from .common import run_action


@login_required
@require_POST
def invite(request, pk):
    work = selectors.work_for(request.user, pk)
    form = InviteForm(request.POST, category=work.category)
    if not form.is_valid():
        messages.error(request, _("Please enter a username and choose a role."))
        return redirect(work)
    run_action(
        request,
        lambda: services.invitation_create(work=work, actor=request.user, **form.cleaned_data),
        _("The invitation has been sent."),
    )
    return redirect(work)


@login_required
@require_POST
def invitation_respond(request, pk, answer):
    # Only one's own invitations exist for the caller: others' are a 404.
    authorship = get_object_or_404(Authorship, pk=pk, user=request.user)
    if answer not in ("accept", "decline"):
        raise Http404
    try:
        services.invitation_respond(
            authorship=authorship, actor=request.user, accept=answer == "accept"
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("submissions:my_works")
    if answer == "accept":
        messages.success(request, _("You have joined the work."))
        return redirect(authorship.work)
    messages.success(request, _("You have declined the invitation."))
    return redirect("submissions:my_works")


@login_required
@require_POST
def member_remove(request, pk, member_pk):
    work = selectors.work_for(request.user, pk)
    authorship = get_object_or_404(Authorship, pk=member_pk, work=work)
    run_action(
        request,
        lambda: services.member_remove(authorship=authorship, actor=request.user),
        _("The person has been removed from the work."),
    )
    return redirect(work)
