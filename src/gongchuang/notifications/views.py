from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError
from gongchuang.common.paginator import BoundedPaginator

from .defaults import SAMPLE_CONTEXT, SMS_TEXTS, TEMPLATES
from .forms import TemplateForm
from .models import Notification, NotificationTemplate
from .services import notifications_mark_read, template_reset, template_save
from .templating import fill_placeholders, template_for


@login_required
def inbox(request):
    notes = Notification.objects.filter(recipient=request.user)
    page = BoundedPaginator(notes, 20).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@login_required
@require_POST
def open_notification(request, pk: int):
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications_mark_read(user=request.user, ids=[note.pk])
    target = note.url if url_has_allowed_host_and_scheme(note.url, allowed_hosts=None) else ""
    return redirect(target or "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    notifications_mark_read(user=request.user)
    return redirect("notifications:inbox")


@permission_required("notifications.manage_templates")
def template_list(request):
    edited = set(NotificationTemplate.objects.values_list("kind", flat=True))
    rows = [
        {"kind": kind, "label": default.label, "edited": kind in edited}
        for kind, default in TEMPLATES.items()
    ]
    return render(request, "notifications/template_list.html", {"rows": rows})


@permission_required("notifications.manage_templates")
def template_edit(request, kind: str):
    if kind not in TEMPLATES:
        raise Http404
    initial = _template_initial(kind)
    form = TemplateForm(request.POST or None, initial=initial, sms=kind in SMS_TEXTS)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = {
                key: fill_placeholders(data[key], SAMPLE_CONTEXT)
                for key in ("subject", "body", "sms_text")
                if data.get(key)
            }
        else:
            try:
                template_save(kind=kind, actor=request.user, **data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The message template has been saved."))
                return redirect("notifications:template_list")
    return render(
        request,
        "notifications/template_edit.html",
        {"form": form, "kind": kind, "default": TEMPLATES[kind], "preview": preview},
    )


def _template_initial(kind: str) -> dict:
    subject, body = template_for(kind)
    initial = {"subject": subject, "body": body}
    if kind in SMS_TEXTS:
        stored = NotificationTemplate.objects.filter(kind=kind).first()
        initial["sms_text"] = stored.sms_text if stored and stored.sms_text else SMS_TEXTS[kind]
        initial["sms_template_code"] = stored.sms_template_code if stored else ""
    return initial


@permission_required("notifications.manage_templates")
@require_POST
def template_reset_view(request, kind: str):
    if kind not in TEMPLATES:
        raise Http404
    template_reset(kind=kind, actor=request.user)
    messages.success(request, _("The built-in wording has been restored."))
    return redirect("notifications:template_list")
