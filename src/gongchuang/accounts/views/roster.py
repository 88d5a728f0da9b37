"""A school coordinator (or a teacher) imports students from the school's roster sheet."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongchuang.common.errors import DomainError
from gongchuang.common.spreadsheets import template_response

from .. import onboarding
from ..access import can, permission_required
from ..models import School
from ..roster import COLUMNS, parse_roster, roster_import, schools_for_roster


class RosterForm(forms.Form):
    school = forms.ModelChoiceField(label=gettext_lazy("School"), queryset=None, empty_label=None)
    sheet = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx, .xls or .csv)"))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["sheet"].widget.attrs["accept"] = ".xlsx,.xls,.csv"
        self.only_school = schools.first() if schools.count() == 1 else None
        if self.only_school is not None:
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].required = False

    def clean_school(self):
        return self.cleaned_data.get("school") or self.only_school


@permission_required("accounts.import_roster")
def roster_import_view(request):
    allowed = School.objects.filter(pk__in=[s.pk for s in schools_for_roster(request.user)])
    form = RosterForm(request.POST or None, request.FILES or None, schools=allowed)
    report = result = None
    if request.method == "POST" and form.is_valid():
        school = form.cleaned_data["school"]
        if not can(request.user, "accounts.import_roster", school):
            raise PermissionDenied
        report = parse_roster(form.cleaned_data["sheet"], school=school)
        if not report.errors:
            try:
                roster_import(report=report, school=school, actor=request.user)
            except DomainError as exc:
                report.errors.append(exc.message)
            else:
                result = onboarding.onboard(report.created, by=request.user, request=request)
                messages.success(
                    request, _("%(n)s student accounts were created.") % {"n": len(report.created)}
                )
    context = {
        "form": form,
        "report": report,
        "result": result,
        "columns": [c.title() for c in COLUMNS],
    }
    return render(request, "accounts/roster_import.html", context)


@permission_required("accounts.import_roster")
def roster_template(request):
    return template_response(COLUMNS, name=_("roster-template"))
