"""SHA-256 of files of any size, read in chunks (constant memory)."""

import hashlib
import os
from typing import BinaryIO

HASH_CHUNK = 1024 * 1024


def sha256_of(fileobj: BinaryIO) -> str:
    """Hex SHA-256 of an open binary file, from its start; the position is reset to 0."""
    digest = hashlib.sha256()
    fileobj.seek(0)
    while chunk := fileobj.read(HASH_CHUNK):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def sha256_of_path(path: str | os.PathLike) -> str:
    """Hex SHA-256 of the file at ``path``."""
    with open(path, "rb") as fileobj:
        return sha256_of(fileobj)
