"""Big work files uploaded by the browser straight to the S3 bucket (presigned POST).

Only when the default storage is S3-compatible and ``S3_DIRECT_UPLOADS`` is on
(see :func:`enabled`); with local storage the page keeps the resumable path
(``resumable.py``). The flow:

1. ``presign_upload``: the same permission, state, window and material checks
   as a normal upload, then a presigned POST for one fresh key under the
   work's staging prefix (``staging/works/<work>/<random>/<slot>``), limited by
   the policy to 1 byte … the material's maximum size, valid for
   ``S3_DIRECT_UPLOAD_EXPIRY`` seconds.
2. The browser POSTs the file to the bucket (needs the bucket's CORS rule,
   docs/deploy.md).
3. ``complete_upload``: the key must be one of this work's staging keys; the
   object then goes through ``services.workfile_store`` like any upload, read
   with ranged GETs (``common.s3.S3ObjectReader``): the same content checks
   and Chinese messages, the same audit, replacement and previews. Storing it
   is a copy inside the bucket (``common.s3.S3Storage``). The staging object is
   deleted whether the file was accepted or refused.

Staging objects of uploads never completed are left to the bucket's lifecycle
rule (expire ``staging/`` after a day, docs/deploy.md).
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

from gongchuang.accounts.models import User
from gongchuang.common.errors import DomainError
from gongchuang.common.s3 import ObjectMissing, S3ObjectReader

from . import rules, services
from .models import Work, WorkFile
from .services.editing import check_editable

log = logging.getLogger(__name__)

STAGING_PREFIX = "staging/works"
# <work pk>/<32 url-safe random characters>/<slot key>: nothing else is accepted.
_STAGING_TAIL = re.compile(r"(?P<token>[A-Za-z0-9_-]{32})/(?P<slot>[A-Za-z0-9_-]{1,40})")


def enabled() -> bool:
    """True when big files should go to the bucket directly (S3 storage + the setting)."""
    return bool(getattr(settings, "S3_DIRECT_UPLOADS", False)) and isinstance(
        default_storage, S3Storage
    )


def _storage() -> S3Storage:
    return default_storage  # type: ignore[return-value]


@dataclass(frozen=True)
class PresignedUpload:
    """Where and how the browser sends the file: a POST of ``fields`` + the file to ``url``."""

    url: str
    fields: dict[str, str]
    key: str
    max_bytes: int


def _check_editable(work: Work, actor: User) -> None:
    # The service repeats this on the locked row before anything is recorded.
    if not rules.can_edit(actor, work):
        check_editable(work, actor)  # raises the precise reason


def presign_upload(*, work: Work, actor: User, slot: str, size: int) -> PresignedUpload:
    """A presigned POST for one file of ``slot``; nothing is written anywhere yet.

    Raises DomainError for everything a normal upload would refuse before
    looking at the content: not an author, not editable, window closed, no
    such material, empty or too large (``size`` is the browser's word; the
    policy makes the bucket refuse more than the material's maximum).
    """
    _check_editable(work, actor)
    material = work.category.material(slot)
    if material is None:
        raise DomainError(_("This work has no such material."), code="no_such_slot")
    if size <= 0:
        raise DomainError(
            _("The file is empty (0 bytes). Please choose the file again."), code="empty"
        )
    max_bytes = material["max_bytes"]
    if size > max_bytes:
        raise DomainError(
            _("The file is too large. The limit for this material is %(limit)d MB.")
            % {"limit": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    storage = _storage()
    name = f"{STAGING_PREFIX}/{work.pk}/{secrets.token_urlsafe(24)}/{slot}"
    key = storage._normalize_name(name)
    post = storage.connection.meta.client.generate_presigned_post(
        Bucket=storage.bucket_name,
        Key=key,
        Fields={"success_action_status": "204"},
        Conditions=[
            {"success_action_status": "204"},
            ["content-length-range", 1, max_bytes],
        ],
        ExpiresIn=settings.S3_DIRECT_UPLOAD_EXPIRY,
    )
    return PresignedUpload(url=post["url"], fields=post["fields"], key=key, max_bytes=max_bytes)


def _staging_name(work: Work, key: str) -> tuple[str, str]:
    """(storage name, slot) of a staging key of ``work``; DomainError for anything else."""
    storage = _storage()
    prefix = storage._normalize_name(f"{STAGING_PREFIX}/{work.pk}/")
    match = _STAGING_TAIL.fullmatch(key[len(prefix) :]) if key.startswith(prefix) else None
    if match is None:
        raise DomainError(
            _("This upload does not belong to this work. Please upload the file again."),
            code="bad_upload_key",
        )
    return f"{STAGING_PREFIX}/{work.pk}/{match['token']}/{match['slot']}", match["slot"]


def complete_upload(*, work: Work, actor: User, key: str, name: str) -> WorkFile:
    """Validate the uploaded object and record it as a work file of the key's material.

    The checks, audit and replacement are ``services.workfile_store``'s; the
    staging object is removed afterwards, also when the file is refused
    (DomainError with the same message as a normal upload). On an unexpected
    error (storage unreachable) it is left for a retry or the lifecycle rule.
    """
    _check_editable(work, actor)  # before touching the object: others may not delete it
    staging, slot = _staging_name(work, key)
    storage = _storage()
    try:
        reader = S3ObjectReader.for_storage(storage, staging)
    except ObjectMissing as exc:
        raise DomainError(
            _("The uploaded file was not found in storage. Please upload it again."),
            code="upload_missing",
        ) from exc
    try:
        with reader:
            work_file = services.workfile_store(
                work=work, slot=slot, fileobj=reader, name=name, actor=actor
            )
    except DomainError:
        storage.delete(staging)
        raise
    storage.delete(staging)
    log.info("direct upload %s stored with %d ranged reads", staging, reader.requests)
    return work_file


def page_config() -> dict | None:
    """What the work page needs to offer direct uploads, or None when they are off.

    ``origin`` (scheme://host[:port] the browser POSTs to) goes into the page's
    CSP ``connect-src``; ``min_bytes`` is the size from which files go direct
    (videos and ZIP archives always do).
    """
    if not enabled():
        return None
    return {"origin": _upload_origin(), "min_bytes": settings.S3_DIRECT_UPLOAD_MIN_BYTES}


def _upload_origin() -> str:
    storage = _storage()
    # The URL depends on endpoint, region and addressing style; ask boto3
    # (local computation, no request is made).
    url = storage.connection.meta.client.generate_presigned_post(
        Bucket=storage.bucket_name, Key=f"{STAGING_PREFIX}/origin"
    )["url"]
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
