from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.audit import AuditEvent
from gongchuang.common.errors import DomainError

from ..enums import Step
from ..forms import EditionDetailsForm, EditionRulesForm, SchoolConfirmationForm, WindowForm
from ..models import Edition, PhaseWindow
from ..services import (
    edition_details_update,
    edition_rules_update,
    edition_school_confirmation_update,
    window_extend,
    window_reschedule,
)
from ..services import edition_make_current as make_current
from ..usage import awaiting_school_count

# What the settings page lists in its history of changes.
HISTORY_ACTIONS = {
    "window.extend": gettext_lazy("Deadline changed"),
    "window.reschedule": gettext_lazy("Window moved"),
    "edition.rules": gettext_lazy("Rules changed"),
    "edition.details": gettext_lazy("Name, theme or organisers changed"),
    "edition.make_current": gettext_lazy("Made the current edition"),
    "edition.school_confirmation": gettext_lazy("School confirmation changed"),
    "category.create": gettext_lazy("Category added"),
    "category.update": gettext_lazy("Category changed"),
    "rubric.replace": gettext_lazy("Rubric changed"),
    "edition.image_upload": gettext_lazy("Banner, logo or seal uploaded"),
    "edition.image_remove": gettext_lazy("Banner, logo or seal removed"),
    "edition.issuers": gettext_lazy("Certificate issuer lines changed"),
}


@permission_required("editions.manage")
def edition_settings(request, slug: str):
    edition = get_object_or_404(
        Edition.objects.prefetch_related("windows", "categories__rubric"), slug=slug
    )
    history = list(
        AuditEvent.objects.filter(edition_id=edition.pk, action__in=list(HISTORY_ACTIONS))[:30]
    )
    for event in history:
        event.label = HISTORY_ACTIONS[event.action]
    rules = EditionRulesForm.initial_for(edition.settings)
    context = {
        "edition": edition,
        "history": history,
        "rules": rules,
        "school_window": edition.window(Step.SCHOOL_CONFIRMATION),
        "awaiting_school": awaiting_school_count(edition) if edition.school_confirmation else 0,
    }
    return render(request, "editions/settings.html", context)


@permission_required("editions.manage")
def window_edit(request, pk: int):
    window = get_object_or_404(PhaseWindow.objects.select_related("edition"), pk=pk)
    initial = {"opens_at": window.opens_at, "closes_at": window.closes_at}
    form = WindowForm(request.POST or None, initial=initial, window=window)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The field shows minutes only: the same minute is the unchanged opening time.
        shown = window.opens_at.replace(second=0, microsecond=0)
        opens_at = window.opens_at if data["opens_at"] in (None, shown) else data["opens_at"]
        try:
            if opens_at == window.opens_at:
                window_extend(
                    window=window,
                    closes_at=data["closes_at"],
                    actor=request.user,
                    reason=data["reason"],
                )
            else:
                window_reschedule(
                    window=window,
                    opens_at=opens_at,
                    closes_at=data["closes_at"],
                    actor=request.user,
                    reason=data["reason"],
                )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The deadline has been changed and recorded in the audit history.")
            )
            return redirect("editions:settings", slug=window.edition.slug)
    return render(request, "editions/window_edit.html", {"form": form, "window": window})


def _edition_form_page(request, edition, form, *, save, saved: str, heading: str):
    """One edition form (rules, or name and organisers): save through ``save``, refusals
    shown on the form, back to the settings page once saved."""
    if request.method == "POST" and form.is_valid():
        try:
            save(edition=edition, actor=request.user, values=form.values())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, saved)
            return redirect("editions:settings", slug=edition.slug)
    context = {"form": form, "edition": edition, "heading": heading}
    return render(request, "editions/edition_form.html", context)


@permission_required("editions.manage")
def edition_rules(request, slug: str):
    edition = get_object_or_404(Edition, slug=slug)
    form = EditionRulesForm(
        request.POST or None, initial=EditionRulesForm.initial_for(edition.settings)
    )
    return _edition_form_page(
        request, edition, form,
        save=edition_rules_update,
        saved=_("The rules have been saved."),
        heading=_("Review, award and publicity rules"),
    )  # fmt: skip


@permission_required("editions.manage")
def edition_details(request, slug: str):
    edition = get_object_or_404(Edition, slug=slug)
    form = EditionDetailsForm(request.POST or None, initial=EditionDetailsForm.initial_for(edition))
    return _edition_form_page(
        request, edition, form,
        save=edition_details_update,
        saved=_("The edition's details have been saved."),
        heading=_("Name, theme and organisers"),
    )  # fmt: skip


@permission_required("editions.manage")
def edition_school_confirmation(request, slug: str):
    edition = get_object_or_404(Edition.objects.prefetch_related("windows"), slug=slug)
    form = SchoolConfirmationForm(
        request.POST or None, initial=SchoolConfirmationForm.initial_for(edition)
    )
    return _edition_form_page(
        request, edition, form,
        save=edition_school_confirmation_update,
        saved=_("School confirmation has been saved and recorded in the audit history."),
        heading=_("School confirmation"),
    )  # fmt: skip


@require_POST
@permission_required("editions.manage")
def edition_make_current(request, slug: str):
    edition = get_object_or_404(Edition, slug=slug)
    try:
        make_current(edition=edition, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("This edition is now the current one."))
    return redirect("editions:settings", slug=edition.slug)
