"""Documents: a cheap check that a PDF is complete."""

from typing import BinaryIO

from .errors import corrupt_error
from .streams import read_at

_PDF_TAIL_BYTES = 1024


def check_pdf(fileobj: BinaryIO, size: int) -> None:
    tail = read_at(fileobj, max(0, size - _PDF_TAIL_BYTES), _PDF_TAIL_BYTES)
    if b"%%EOF" not in tail or b"startxref" not in read_at(
        fileobj, max(0, size - 4 * _PDF_TAIL_BYTES), 4 * _PDF_TAIL_BYTES
    ):
        raise corrupt_error()
