"""Pages of the committee and unit organizers: notices, guide documents, the showcase."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongchuang.accounts.access import permission_required
from gongchuang.common.errors import DomainError
from gongchuang.common.redirects import local_path
from gongchuang.common.spreadsheets import template_response
from gongchuang.editions.selectors import current_edition
from gongchuang.submissions.enums import WorkState
from gongchuang.submissions.models import Work

from .. import services
from ..forms import GuideDocumentForm, ImportForm, NoticeForm
from ..importer import import_past_works, template_columns
from ..models import GuideDocument, NoticeAttachment
from ..selectors import notices_managed_by


def _back(request, default: str):
    """Redirect to the page the form came from, if it is ours; never to another site."""
    return redirect(local_path(request, request.POST.get("next")) or default)


@permission_required("portal.write_notices")
def notice_manage_list(request):
    page_obj = Paginator(notices_managed_by(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "portal/manage/notice_list.html", {"page_obj": page_obj})


@permission_required("portal.write_notices")
def notice_edit(request, pk: int | None = None):
    """Write or change a notice; "preview" shows the sanitised rendering without saving."""
    notice = get_object_or_404(notices_managed_by(request.user), pk=pk) if pk else None
    initial = {}
    if notice is not None:
        initial = {
            "title": notice.title,
            "summary": notice.summary,
            "body": notice.body,
            "unit": notice.unit,
            "publish_at": notice.published_at,
        }
    form = NoticeForm(
        request.POST or None, request.FILES or None, initial=initial, user=request.user
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = services.render_markdown(data["body"])
        else:
            try:
                notice = _save_notice(request, notice, data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The notice was saved."))
                return redirect("portal:notice_edit", pk=notice.pk)
    attachments = list(notice.attachments.all()) if notice else []
    return render(
        request,
        "portal/manage/notice_form.html",
        {"form": form, "notice": notice, "preview": preview, "attachments": attachments},
    )


def _save_notice(request, notice, data):
    edition = notice.edition if notice else current_edition()
    if edition is None:
        raise DomainError(_("There is no current edition."))
    with transaction.atomic():
        notice = services.notice_save(
            actor=request.user,
            edition=edition,
            title=data["title"],
            body=data["body"],
            summary=data["summary"],
            unit=data["unit"],
            notice=notice,
            publish_at=data.get("publish_at"),
        )
        upload = data.get("attachment")
        if upload:
            services.notice_attachment_add(
                notice=notice, actor=request.user, fileobj=upload, name=upload.name
            )
    return notice


NOTICE_ACTIONS = {
    "publish": (services.notice_publish, {}, gettext_lazy("The notice is published.")),
    "unpublish": (
        services.notice_unpublish,
        {},
        gettext_lazy("The notice is withdrawn from the portal."),
    ),
    "pin": (
        services.notice_pin,
        {"pinned": True},
        gettext_lazy("The notice is pinned to the top."),
    ),
    "unpin": (
        services.notice_pin,
        {"pinned": False},
        gettext_lazy("The notice is no longer pinned."),
    ),
}


@permission_required("portal.write_notices")
@require_POST
def notice_action(request, pk: int, action: str):
    notice = get_object_or_404(notices_managed_by(request.user), pk=pk)
    if action not in NOTICE_ACTIONS:
        raise Http404
    func, kwargs, message = NOTICE_ACTIONS[action]
    try:
        func(notice=notice, actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return _back(request, "portal:notice_manage")


@permission_required("portal.write_notices")
@require_POST
def attachment_remove(request, pk: int):
    attachment = get_object_or_404(
        NoticeAttachment.objects.filter(notice__in=notices_managed_by(request.user)), pk=pk
    )
    notice_pk = attachment.notice_id
    services.notice_attachment_remove(attachment=attachment, actor=request.user)
    messages.success(request, _("The attachment was removed."))
    return redirect("portal:notice_edit", pk=notice_pk)


@permission_required("portal.manage_guide")
def guide_manage(request):
    edition = current_edition()
    form = GuideDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and edition is not None:
        upload = form.cleaned_data["file"]
        try:
            services.guide_document_add(
                edition=edition,
                actor=request.user,
                title=form.cleaned_data["title"],
                fileobj=upload,
                name=upload.name,
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("The guide document was uploaded."))
            return redirect("portal:guide_manage")
    documents = list(edition.guide_documents.all()) if edition else []
    return render(
        request,
        "portal/manage/guide.html",
        {"form": form, "documents": documents, "edition": edition},
    )


@permission_required("portal.manage_guide")
@require_POST
def guide_document_remove(request, pk: int):
    document = get_object_or_404(GuideDocument, pk=pk)
    services.guide_document_remove(document=document, actor=request.user)
    messages.success(request, _("The guide document was removed."))
    return redirect("portal:guide_manage")


@permission_required("portal.manage_showcase")
def showcase_manage(request):
    """Works whose authors agreed to a public showcase; the committee shows or hides them."""
    edition = current_edition()
    works = (
        Work.objects.filter(showcase_consent=True)
        .exclude(state__in=[WorkState.DRAFT, WorkState.WITHDRAWN])
        .select_related("edition", "category", "unit")
        .order_by("-is_public", "-edition__year", "code")
    )
    if request.GET.get("edition") != "all" and edition is not None:
        works = works.filter(edition=edition)
    page_obj = Paginator(works, 50).get_page(request.GET.get("page"))
    return render(request, "portal/manage/showcase.html", {"page_obj": page_obj})


@permission_required("portal.manage_showcase")
@require_POST
def showcase_toggle(request, pk: int):
    work = get_object_or_404(Work, pk=pk)
    public = request.POST.get("public") == "1"
    try:
        services.work_set_public(work=work, actor=request.user, public=public)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The work is now shown in the showcase.")
            if public
            else _("The work is no longer shown in the showcase."),
        )
    return _back(request, "portal:showcase_manage")


@permission_required("portal.manage_showcase")
def showcase_import_template(request):
    """The showcase import's template (.xlsx), categories of the current edition offered."""
    columns = template_columns(current_edition())
    return template_response(columns, name=_("showcase-import-template"))


@permission_required("portal.manage_showcase")
def showcase_import(request):
    """Import excellent works of past editions: a spreadsheet and a ZIP of their files."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            works = import_past_works(
                edition=data["edition"],
                actor=request.user,
                spreadsheet=data["spreadsheet"],
                archive=data.get("archive"),
            )
        except DomainError as exc:
            errors = list(getattr(exc, "errors", None) or [exc.message])
        else:
            messages.success(
                request,
                _("%(count)d works were imported into the showcase.") % {"count": len(works)},
            )
            return redirect("portal:showcase_manage")
    return render(request, "portal/manage/import.html", {"form": form, "errors": errors})
