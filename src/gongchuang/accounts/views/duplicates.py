"""The committee's list of possible duplicate persons, with merge and void (confirmed first)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongchuang.common.errors import DomainError

from ..access import permission_required
from ..duplicate_services import REASON_MAX, student_merge, student_void
from ..duplicates import possible_duplicates
from ..models import User
from ..privacy import audit_personal_data_view


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(ReasonForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _student(pk: int) -> User:
    return get_object_or_404(
        User.objects.select_related("student_profile__school"), pk=pk, student_profile__isnull=False
    )


@permission_required("accounts.manage_duplicates")
def duplicates(request):
    return render(request, "accounts/duplicates.html", {"groups": possible_duplicates()})


@permission_required("accounts.manage_duplicates")
def duplicate_merge(request, pk: int, into: int):
    duplicate, kept = _student(pk), _student(into)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            student_merge(
                duplicate=duplicate,
                into=kept,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The accounts have been merged."))
            return redirect("accounts:duplicates")
    for subject in (duplicate, kept):
        audit_personal_data_view(actor=request.user, subject=subject, what="duplicate persons")
    context = {"form": form, "duplicate": duplicate, "kept": kept, "works": _works(duplicate)}
    return render(request, "accounts/duplicate_merge.html", context)


@permission_required("accounts.manage_duplicates")
def duplicate_void(request, pk: int):
    account = _student(pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            student_void(user=account, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The account has been voided."))
            return redirect("accounts:duplicates")
    audit_personal_data_view(actor=request.user, subject=account, what="duplicate persons")
    context = {"form": form, "account": account, "works": _works(account)}
    return render(request, "accounts/duplicate_void.html", context)


def _works(user: User) -> list:
    return list(user.authorships.select_related("work", "edition").order_by("-edition_id", "pk"))
