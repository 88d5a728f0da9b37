"""Uploading (plain and resumable), deleting and downloading work files."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from gongchuang.common.errors import DomainError

from .. import partials, resumable, selectors, services
from ..forms import FileUploadForm
from ..models import UploadSession, WorkFile
from .common import run_action


@csrf_exempt  # CSRF is checked by csrf_protect below, after the upload handlers are set
@login_required
@require_POST
def file_upload(request, pk):
    # Stream the body to a temporary file on disk: never the whole file in memory.
    request.upload_handlers = [TemporaryFileUploadHandler(request)]
    return _file_upload(request, pk)


@csrf_protect
def _file_upload(request, pk):
    work = selectors.work_to_change(request.user, pk, authors_only=True)
    form = FileUploadForm(request.POST, request.FILES, category=work.category)
    if not form.is_valid():
        messages.error(request, _("Please choose a material and a file."))
        return redirect(work)
    upload = form.cleaned_data["file"]
    try:
        services.workfile_store(
            work=work,
            slot=form.cleaned_data["slot"],
            fileobj=upload,
            name=upload.name,
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file has been uploaded."))
    finally:
        upload.close()
    return redirect(work)


@login_required
@require_POST
def file_delete(request, pk, file_pk):
    work = selectors.work_for(request.user, pk)
    work_file = get_object_or_404(WorkFile, pk=file_pk, work=work)
    run_action(
        request,
        lambda: services.workfile_delete(work_file=work_file, actor=request.user),
        _("The file has been removed."),
    )
    return redirect(work)


def _visible_file(user, file_pk) -> WorkFile:
    work_file = get_object_or_404(WorkFile.objects.only("pk", "work_id"), pk=file_pk)
    visible = selectors.works_visible_to(user).filter(pk=work_file.work_id).exists()
    if not visible:
        raise Http404
    return WorkFile.objects.get(pk=file_pk)


@login_required
def file_download(request, file_pk):
    work_file = _visible_file(request.user, file_pk)
    response = FileResponse(
        work_file.file.open("rb"),
        as_attachment=True,
        filename=work_file.original_name,
        content_type=work_file.mime or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def file_preview(request, file_pk):
    work_file = _visible_file(request.user, file_pk)
    if not work_file.thumbnail:
        raise Http404
    response = FileResponse(work_file.thumbnail.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Resumable uploads (see ..resumable for the protocol) --------------------


def _error(exc: DomainError, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": str(exc.message), "code": exc.code}, status=status)


@login_required
@require_POST
def upload_create(request, pk):
    work = selectors.work_for(request.user, pk)
    try:
        data = json.loads(request.body or b"{}")
        size = int(data.get("size", 0))
        slot, name = str(data.get("slot", "")), str(data.get("name", ""))
    except (ValueError, TypeError):
        return JsonResponse({"error": _("Bad request.")}, status=400)
    try:
        session = resumable.upload_session_create(
            work=work, actor=request.user, slot=slot, name=name, size=size
        )
    except DomainError as exc:
        return _error(exc)
    url = reverse("submissions:upload_session", args=[session.token])
    chunk = partials.CHUNK_SIZE[session.store]
    response = JsonResponse(
        {"url": url, "offset": 0, "size": session.size, "chunk_size": chunk}, status=201
    )
    response["Location"] = url
    return response


@login_required
@require_http_methods(["HEAD", "GET", "PATCH"])
def upload_session(request, token):
    session = get_object_or_404(UploadSession, token=token, user=request.user)
    if request.method in ("HEAD", "GET"):
        response = JsonResponse({"offset": session.offset, "size": session.size})
        response["Upload-Offset"] = str(session.offset)
        response["Cache-Control"] = "no-store"
        return response
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
        length = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return JsonResponse({"error": _("Bad request.")}, status=400)
    try:
        # request (not request.body): read from the stream piece by piece.
        new_offset = resumable.upload_session_append(
            session=session, actor=request.user, offset=offset, stream=request, length=length
        )
    except resumable.OffsetMismatch as exc:
        response = _error(exc, status=409)
        response["Upload-Offset"] = str(exc.offset)
        return response
    except resumable.UploadBusy as exc:
        response = _error(exc, status=423)
        response["Upload-Offset"] = str(exc.offset)
        response["Retry-After"] = "2"
        return response
    except DomainError as exc:
        return _error(exc)
    response = HttpResponse(status=204)
    response["Upload-Offset"] = str(new_offset)
    return response


@login_required
@require_POST
def upload_finalize(request, token):
    session = get_object_or_404(UploadSession, token=token, user=request.user)
    try:
        work_file = resumable.upload_session_finalize(session=session, actor=request.user)
    except DomainError as exc:
        return _error(exc, status=422)
    return JsonResponse(
        {"id": work_file.pk, "name": work_file.original_name, "sha256": work_file.sha256}
    )
