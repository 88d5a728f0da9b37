"""Background work on uploaded files: thumbnails of images, poster frames of videos."""

import logging
import os
import shutil
import tempfile

from django.core.files import File
from django_tasks import task

from gongchuang.common.files.images import make_thumbnail
from gongchuang.common.files.video import video_poster

from .models import WorkFile

log = logging.getLogger(__name__)


@task()
def make_preview(work_file_id: int) -> str:
    """Write a JPEG thumbnail (image) or poster frame (video, needs ffmpeg) for a work file."""
    work_file = WorkFile.objects.filter(pk=work_file_id).first()
    if work_file is None or work_file.thumbnail:
        return "nothing to do"
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "source")
        target = os.path.join(tmp, "preview.jpg")
        # Copy to local disk in chunks: the storage may be remote (S3).
        with work_file.file.open("rb") as src, open(source, "wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        try:
            if work_file.kind == "image":
                make_thumbnail(source, target)
                made = True
            elif work_file.kind == "video":
                made = video_poster(source, target)
            else:
                made = False
        except (OSError, ValueError) as exc:
            log.warning("preview of work file %s failed: %s", work_file_id, exc)
            made = False
        if not made:
            return "no preview"
        with open(target, "rb") as fh:
            work_file.thumbnail.save("preview.jpg", File(fh), save=False)
    WorkFile.objects.filter(pk=work_file.pk).update(thumbnail=work_file.thumbnail.name)
    return "made"
