"""“My data”: consent records, data download and account deletion for the person themself."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..privacy_services import account_anonymise, personal_data_zip


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Your password"), widget=forms.PasswordInput)
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that my personal data will be erased and I can no longer log in."
        )
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext_lazy("The password is not correct."))
        return password


@login_required
def my_data(request):
    user = request.user
    profile = getattr(user, "student_profile", None)
    works = [a.work for a in user.authorships.select_related("work").order_by("-work__created_at")]
    return render(
        request,
        "accounts/my_data.html",
        {"profile": profile, "works": works, "form": DeleteAccountForm(user=user)},
    )


@login_required
@require_POST
def my_data_download(request):
    content = personal_data_zip(user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.zip"'
    return response


@login_required
@require_POST
def my_data_delete(request):
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(
            request,
            "accounts/my_data.html",
            {
                "profile": getattr(request.user, "student_profile", None),
                "works": [],
                "form": form,
            },
            status=400,
        )
    account_anonymise(user=request.user, actor=request.user)
    logout(request)
    messages.success(request, _("Your account has been closed and your personal data erased."))
    return redirect("portal:home")
