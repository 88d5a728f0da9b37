import io

from django.http import FileResponse, Http404


def serve_file(field, *, name: str, mime: str, inline: bool = False) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=not inline, filename=name, content_type=mime or None
    )
    # Private by default (a draft notice's attachment must not sit in shared caches);
    # views of public files widen this with @cache_control(public=True).
    response["Cache-Control"] = "private, max-age=300"
    return response


def serve_bytes(data: bytes, *, name: str, mime: str, inline: bool = False) -> FileResponse:
    """Like :func:`serve_file` for bytes made on the fly (e.g. an image with its label)."""
    response = FileResponse(
        io.BytesIO(data), as_attachment=not inline, filename=name, content_type=mime or None
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
