"""The edition's identity: banner, organisers' logos and the certificates' seal and issuer
lines, set by the committee on the edition settings pages.

Images are checked by their content (``common.files``: sniffed type, size, pixel flood,
integrity), re-saved without metadata and kept in the default storage; the seal must be a
PNG with a transparent background, since it is printed over the issuer lines and the date.
"""

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from gongchuang.common.audit import audit_record
from gongchuang.common.errors import DomainError
from gongchuang.common.files.images import strip_image_metadata
from gongchuang.common.files.validate import validate_upload

from ..enums import ImageKind
from ..models import Edition, EditionImage
from ..rules import ensure_edition_writable

MB = 1024 * 1024
MAX_BYTES = {ImageKind.BANNER: 5 * MB, ImageKind.LOGO: 1 * MB, ImageKind.SEAL: 2 * MB}
MAX_LOGOS = 12
MAX_ISSUER_LINES = 4
# Key of ``Edition.settings``: the lines printed above the date on certificates.
ISSUERS_KEY = "certificate_issuers"


def certificate_issuers(edition: Edition) -> list[str]:
    """The issuer lines of the edition's certificates: the committee's setting, else the
    hosts (``organisers["hosts"]``), else the organising committee."""
    lines = (edition.settings or {}).get(ISSUERS_KEY) or (edition.organisers or {}).get("hosts")
    return list(lines or ["北京青少年人工智能应用实践活动组委会"])


def _checked_image(upload, *, kind: str) -> tuple[bytes, str, str, tuple[int, int]]:
    """(bytes without metadata, extension, mime, size) of a valid image of this kind."""
    sniffed = validate_upload(
        upload, name=upload.name, allowed_kinds={"image"}, max_bytes=MAX_BYTES[kind]
    )
    if sniffed.extension == "gif":
        raise DomainError(
            _("Please upload a PNG, JPG or WebP image (animated GIFs are not accepted here)."),
            code="type_not_allowed",
        )
    upload.seek(0)
    if kind == ImageKind.SEAL and not (sniffed.extension == "png" and _has_transparency(upload)):
        raise DomainError(
            _(
                "The seal must be a PNG image with a transparent background, so that it "
                "can be printed over the issuer and the date. Please export it again as "
                "PNG with transparency."
            ),
            code="seal_not_transparent",
        )
    upload.seek(0)
    out = io.BytesIO()
    strip_image_metadata(upload, out)
    with Image.open(io.BytesIO(out.getvalue())) as img:
        size = img.size
    return out.getvalue(), sniffed.extension, sniffed.mime, size


def _has_transparency(fileobj) -> bool:
    """Whether a (validated) PNG has at least one transparent pixel."""
    with Image.open(fileobj, formats=("PNG",)) as img:
        if img.mode == "P" and "transparency" in img.info:
            img = img.convert("RGBA")
        elif "transparency" in img.info:
            img = img.convert("RGBA")
        if img.mode not in ("RGBA", "LA", "PA"):
            return False
        low, _high = img.getchannel("A").getextrema()
        return low < 255


@transaction.atomic
def edition_image_upload(
    *, edition: Edition, kind: str, upload, actor, name: str = ""
) -> EditionImage:
    """Add a logo, or set (replace) the banner or the seal. Refused with a Chinese message,
    nothing changed, when the file is not a valid image of the right kind; audited."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_edition_writable(edition)
    kind = ImageKind(kind)
    if kind == ImageKind.LOGO and edition.images.filter(kind=kind).count() >= MAX_LOGOS:
        raise DomainError(
            _("An edition has at most %(count)s logos; remove one first.") % {"count": MAX_LOGOS},
            code="too_many_logos",
        )
    data, extension, mime, (width, height) = _checked_image(upload, kind=kind)
    replaced = None
    if kind != ImageKind.LOGO:
        replaced = edition.images.filter(kind=kind).first()
        if replaced is not None:
            replaced.delete()  # the stored file stays: old certificates' PDFs were made with it
    position = edition.images.filter(kind=kind).count()
    image = EditionImage(
        edition=edition, kind=kind, mime=mime, name=name.strip()[:120],
        width=width, height=height, position=position,
    )  # fmt: skip
    image.file.save(f"image.{extension}", ContentFile(data), save=False)
    image.save()
    audit_record(
        actor=actor, action="edition.image_upload", obj=edition,
        before={"kind": kind, "file": replaced.file.name} if replaced else None,
        after={"kind": kind, "file": image.file.name, "name": image.name},
        edition_id=edition.pk,
    )  # fmt: skip
    return image


@transaction.atomic
def edition_image_remove(*, image: EditionImage, actor) -> None:
    """Remove a logo, the banner or the seal (the stored file stays for the record); audited."""
    edition = Edition.objects.select_for_update().get(pk=image.edition_id)
    ensure_edition_writable(edition)
    audit_record(
        actor=actor, action="edition.image_remove", obj=edition,
        before={"kind": image.kind, "file": image.file.name, "name": image.name},
        edition_id=edition.pk,
    )  # fmt: skip
    image.delete()


@transaction.atomic
def edition_issuers_update(*, edition: Edition, actor, values: dict) -> Edition:
    """Set the certificates' issuer lines (``values["issuers"]``, at most four); audited."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    ensure_edition_writable(edition)
    lines = [line.strip() for line in values["issuers"] if line.strip()]
    if len(lines) > MAX_ISSUER_LINES:
        raise DomainError(
            _("Give at most %(count)s issuer lines.") % {"count": MAX_ISSUER_LINES},
            code="too_many_lines",
        )
    current = edition.settings or {}
    if current.get(ISSUERS_KEY, []) != lines:
        edition.settings = {**current, ISSUERS_KEY: lines}
        edition.save(update_fields=["settings"])
        audit_record(
            actor=actor, action="edition.issuers", obj=edition,
            before={ISSUERS_KEY: current.get(ISSUERS_KEY, [])}, after={ISSUERS_KEY: lines},
            edition_id=edition.pk,
        )  # fmt: skip
    return edition
