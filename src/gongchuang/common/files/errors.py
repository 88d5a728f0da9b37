"""Rejection codes and the lazily translated messages shared by the file checks.

The codes are stable (services and tests compare them); the messages are
translated lazily, so nothing is rendered at import time and raising never needs
the translation machinery.
"""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from gongchuang.common.errors import DomainError

CODE_TOO_LARGE = "too_large"
CODE_EMPTY = "empty"
CODE_TYPE_NOT_ALLOWED = "type_not_allowed"
CODE_EXTENSION_MISMATCH = "extension_mismatch"
CODE_DISGUISED_MARKUP = "disguised_markup"
CODE_PIXEL_FLOOD = "pixel_flood"
CODE_CORRUPT = "corrupt"
CODE_ZIP_BOMB = "zip_bomb"
CODE_ZIP_UNSAFE_PATH = "zip_unsafe_path"
CODE_ZIP_SYMLINK = "zip_symlink"


def _format(message, params):
    return str(message) % params


# Keeps a message with placeholders lazy: it is translated and interpolated
# only when rendered, so raising never needs the translation machinery.
interpolate = lazy(_format, str)


def shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def corrupt_error() -> DomainError:
    return DomainError(
        _(
            "The file is damaged or incomplete and cannot be opened. Please "
            "export or download it again and upload the new copy."
        ),
        code=CODE_CORRUPT,
    )
