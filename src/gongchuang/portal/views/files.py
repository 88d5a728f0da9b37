from django.http import FileResponse, Http404


def serve_file(field, *, name: str, mime: str, inline: bool = False) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=not inline, filename=name, content_type=mime or None
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
