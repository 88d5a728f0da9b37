from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongchuang.accounts.access import permission_required
from gongchuang.common.audit import AuditEvent
from gongchuang.common.errors import DomainError

from .forms import WindowExtendForm
from .models import Edition, PhaseWindow
from .services import window_extend


@permission_required("editions.manage")
def edition_settings(request, slug: str):
    edition = get_object_or_404(Edition.objects.prefetch_related("windows", "categories__rubric"), slug=slug)
    history = AuditEvent.objects.filter(edition_id=edition.pk, action="window.extend")[:20]
    return render(request, "editions/settings.html", {"edition": edition, "history": history})


@permission_required("editions.manage")
def window_edit(request, pk: int):
    window = get_object_or_404(PhaseWindow.objects.select_related("edition"), pk=pk)
    form = WindowExtendForm(request.POST or None, initial={"closes_at": window.closes_at})
    if request.method == "POST" and form.is_valid():
        try:
            window_extend(window=window, closes_at=form.cleaned_data["closes_at"], actor=request.user,
                          reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The deadline has been changed and recorded in the audit history."))
            return redirect("editions:settings", slug=window.edition.slug)
    return render(request, "editions/window_edit.html", {"form": form, "window": window})
