"""Reading a few bytes at a time from an upload without losing the caller's position."""

import contextlib
import os
from typing import BinaryIO


@contextlib.contextmanager
def preserved_position(fileobj: BinaryIO):
    try:
        position = fileobj.tell()
    except (AttributeError, OSError):
        position = 0
    try:
        yield
    finally:
        fileobj.seek(position)


def read_at(fileobj: BinaryIO, offset: int, size: int) -> bytes:
    fileobj.seek(offset)
    return fileobj.read(size)


def size_of(fileobj: BinaryIO) -> int:
    with preserved_position(fileobj):
        # seek() of some file wrappers returns None; tell() is reliable.
        fileobj.seek(0, os.SEEK_END)
        return fileobj.tell()
