"""Direct-to-bucket uploads of big files (protocol: ..direct_upload). JSON in, JSON out."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongchuang.common.errors import DomainError

from .. import direct_upload, selectors


def _json_body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _bad_request() -> JsonResponse:
    return JsonResponse({"error": _("Bad request.")}, status=400)


def _refused(exc: DomainError, status: int) -> JsonResponse:
    return JsonResponse({"error": str(exc.message), "code": exc.code}, status=status)


@login_required
@require_POST
def presign(request, pk):
    if not direct_upload.enabled():
        raise Http404
    work = selectors.work_for(request.user, pk)
    data = _json_body(request)
    try:
        slot, size = str(data["slot"]), int(data["size"])
    except (KeyError, TypeError, ValueError):
        return _bad_request()
    try:
        upload = direct_upload.presign_upload(work=work, actor=request.user, slot=slot, size=size)
    except DomainError as exc:
        return _refused(exc, 400)
    return JsonResponse({"url": upload.url, "fields": upload.fields, "key": upload.key}, status=201)


@login_required
@require_POST
def complete(request, pk):
    if not direct_upload.enabled():
        raise Http404
    work = selectors.work_for(request.user, pk)
    data = _json_body(request)
    key, name = data.get("key"), data.get("name")
    if not isinstance(key, str) or not isinstance(name, str):
        return _bad_request()
    try:
        work_file = direct_upload.complete_upload(work=work, actor=request.user, key=key, name=name)
    except DomainError as exc:
        return _refused(exc, 422)
    return JsonResponse(
        {"id": work_file.pk, "name": work_file.original_name, "sha256": work_file.sha256}
    )
