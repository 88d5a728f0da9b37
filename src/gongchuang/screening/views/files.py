"""Materials of a work, shown in the browser after the same visibility check as the work."""

import mimetypes

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.clickjacking import xframe_options_sameorigin

from gongchuang.submissions.models import WorkFile
from gongchuang.submissions.selectors import works_visible_to

# Shown inline (preview); anything else is downloaded.
INLINE_KINDS = {"image", "pdf", "video", "audio"}


@login_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def work_file(request, pk: int):
    """Stream a work's file to someone who may see the work (others: 404)."""
    work_file = get_object_or_404(
        WorkFile.objects.select_related("work"),
        pk=pk,
        work__in=works_visible_to(request.user).values("pk"),
    )
    try:
        handle = work_file.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    inline = work_file.kind in INLINE_KINDS
    content_type = work_file.mime or mimetypes.guess_type(work_file.original_name)[0]
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=work_file.original_name,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
