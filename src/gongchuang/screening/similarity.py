"""Near-duplicate detection for submitted works (images, video frames, text).

Used during screening to flag works that re-submit someone else's artwork or
copy a report with a few words changed. It only *flags* candidates for a
person to look at; nothing here decides that a work is plagiarised.

Fingerprints are computed once per file and stored (strings / JSON lists):

- ``image_fingerprint(fileobj) -> str``: 32 hex chars, the 64-bit perceptual
  hash (pHash) followed by the 64-bit difference hash (dHash). Stable under
  re-encoding and resizing; not under cropping, rotation or mirroring.
- ``video_fingerprint(path) -> list[str]``: image fingerprints of frames at
  fixed fractions of the duration ([] without ffmpeg).
- ``text_signature(text) -> list[int]``: a 128-value MinHash of character
  3-grams (works for Chinese without a tokenizer); [] for empty text.

``NearDuplicateIndex`` finds pairs without comparing every work with every
other: multi-index hashing for image hashes, MinHash LSH for text.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import imagehash
import numpy as np
from datasketch import MinHash, MinHashLSH
from PIL import Image, ImageOps

from gongchuang.common.files.video import video_duration_seconds

HASH_BITS = 64
IMAGE_MAX_DISTANCE = 10  # of 64 pHash bits
# dHash must roughly agree too: it rejects pHash collisions between different
# low-detail pictures, while re-encoded copies stay far below this.
DHASH_MAX_DISTANCE = 20
TEXT_THRESHOLD = 0.6
NUM_PERM = 128
SHINGLE = 3
# Fixed: signatures are stored and compared across processes and releases.
_MINHASH_SEED = 1
_MINHASH_SCHEME = "affine32"
VIDEO_FRACTIONS = (0.1, 0.3, 0.5, 0.7, 0.9)
_FFMPEG_TIMEOUT = 60


# --- Images -----------------------------------------------------------------


def _prepare(img: Image.Image) -> Image.Image:
    img = ImageOps.exif_transpose(img) or img
    if img.mode in ("RGBA", "LA", "P", "PA"):
        # Flatten onto white so a transparent PNG and its JPEG export agree.
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        img = background
    return img.convert("L")


def image_fingerprint(fileobj: BinaryIO) -> str:
    """pHash + dHash of an image as 32 lower-case hex characters.

    Call on validated images only (size limits are checked by
    ``validate_upload``). JPEGs are decoded at reduced scale to save memory.
    """
    fileobj.seek(0)
    with Image.open(fileobj) as img:
        if img.format == "JPEG":
            img.draft("RGB", (256, 256))
        gray = _prepare(img)
        gray.thumbnail((512, 512), Image.Resampling.LANCZOS)
        return f"{imagehash.phash(gray)}{imagehash.dhash(gray)}"


def _split(fingerprint: str) -> tuple[int, int | None]:
    """(phash, dhash) as ints; a bare 16-hex pHash is accepted too."""
    if len(fingerprint) == 32:
        return int(fingerprint[:16], 16), int(fingerprint[16:], 16)
    if len(fingerprint) == 16:
        return int(fingerprint, 16), None
    raise ValueError(f"not an image fingerprint: {fingerprint!r}")


def image_distance(fp_a: str, fp_b: str) -> int:
    """Hamming distance between the pHash parts of two fingerprints."""
    return (_split(fp_a)[0] ^ _split(fp_b)[0]).bit_count()


def _is_low_information(phash: int, dhash: int | None) -> bool:
    # Blank or flat images (an empty canvas, a black video frame) hash to
    # nearly constant values and would "match" each other; skip them.
    if dhash is not None and (dhash.bit_count() <= 2 or dhash.bit_count() >= 62):
        return True
    return phash.bit_count() <= 2 or phash.bit_count() >= 62


def _ffmpeg_frame(ffmpeg: str, path: str, at: float) -> bytes | None:
    try:
        # Argument list from shutil.which() + our own flags; no shell.
        result = subprocess.run(  # noqa: S603
            [
                ffmpeg, "-nostdin", "-v", "error", "-ss", f"{at:.3f}",
                "-i", path, "-frames:v", "1", "-vf", "scale='min(512,iw)':-2",
                "-f", "image2pipe", "-c:v", "png", "-",
            ],
            capture_output=True,
            timeout=_FFMPEG_TIMEOUT,
            check=False,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError):
        return None
    return result.stdout if result.returncode == 0 and result.stdout else None


def video_fingerprint(
    path: str | os.PathLike, *, fractions: Sequence[float] = VIDEO_FRACTIONS
) -> list[str]:
    """Image fingerprints of frames at fixed fractions of the duration.

    Returns [] when ffmpeg is missing or the duration is unknown. Frames that
    cannot be extracted are skipped, so the list may be shorter.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return []
    duration = video_duration_seconds(path)
    if not duration:
        return []
    hashes = []
    for fraction in fractions:
        frame = _ffmpeg_frame(ffmpeg, os.fspath(path), duration * fraction)
        if frame is None:
            continue
        try:
            hashes.append(image_fingerprint(io.BytesIO(frame)))
        except (OSError, ValueError):
            continue
    return hashes


# --- Text -------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """NFKC, case-folded, letters/digits/marks only (no spaces, punctuation).

    Full-width and half-width forms, spacing and punctuation changes
    therefore do not hide a copy.
    """
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    normalised = normalise_text(text)
    if len(normalised) <= size:
        return {normalised} if normalised else set()
    return {normalised[i : i + size] for i in range(len(normalised) - size + 1)}


def text_signature(text: str, *, num_perm: int = NUM_PERM) -> list[int]:
    """MinHash of character 3-grams as a JSON-storable list of ints.

    Empty (after normalisation) text gives [] and never matches anything.
    Very short texts (a title) give noisy similarities; feed the abstract
    and statements, not just the title.
    """
    grams = shingles(text)
    if not grams:
        return []
    minhash = MinHash(num_perm=num_perm, seed=_MINHASH_SEED, scheme=_MINHASH_SCHEME)
    minhash.update_batch([g.encode("utf-8") for g in grams])
    return [int(v) for v in minhash.hashvalues]


def text_similarity(sig_a: Sequence[int], sig_b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two texts' 3-gram sets (0..1)."""
    if not sig_a or not sig_b:
        return 0.0
    if len(sig_a) != len(sig_b):
        raise ValueError("signatures have different lengths")
    a = np.asarray(sig_a, dtype=np.uint64)
    b = np.asarray(sig_b, dtype=np.uint64)
    return float(np.count_nonzero(a == b)) / len(a)


# --- Index ------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A candidate near-duplicate of the queried item.

    ``kind`` is ``"image"`` (score = 1 - pHash distance / 64, ``distance``
    set) or ``"text"`` (score = estimated Jaccard similarity).
    """

    other_id: Hashable
    kind: str
    score: float
    distance: int | None = None


_BANDS = 4
_BAND_BITS = HASH_BITS // _BANDS


def _band_neighbours(value: int, radius: int) -> Iterable[int]:
    yield value
    for r in range(1, radius + 1):
        for bits in itertools.combinations(range(_BAND_BITS), r):
            flipped = value
            for bit in bits:
                flipped ^= 1 << bit
            yield flipped


class NearDuplicateIndex:
    """In-memory index of works' fingerprints that returns likely duplicates.

    Image hashes use multi-index hashing: the 64-bit pHash is cut into 4
    bands of 16 bits; two hashes within distance 10 must agree on some band
    to within 2 bits (pigeonhole), so each lookup probes 4 × 137 buckets
    instead of scanning every work — exact, no missed pairs. Text uses
    datasketch's MinHash LSH, which is probabilistic (tuned so pairs at the
    threshold are found with high probability); every candidate is then
    checked against the real threshold.

    Build it from stored fingerprints (e.g. for one edition), call
    :meth:`add` for each work, then read :meth:`pairs`. Not thread-safe.
    """

    def __init__(
        self,
        *,
        image_max_distance: int = IMAGE_MAX_DISTANCE,
        dhash_max_distance: int = DHASH_MAX_DISTANCE,
        text_threshold: float = TEXT_THRESHOLD,
        num_perm: int = NUM_PERM,
    ) -> None:
        self.image_max_distance = image_max_distance
        self.dhash_max_distance = dhash_max_distance
        self.text_threshold = text_threshold
        self.num_perm = num_perm
        self._radius = image_max_distance // _BANDS
        self._bands: list[dict[int, list[tuple[Hashable, int, int | None]]]] = [
            defaultdict(list) for _ in range(_BANDS)
        ]
        # LSH threshold a bit below ours so borderline pairs become candidates.
        self._lsh = MinHashLSH(threshold=max(0.1, text_threshold - 0.1), num_perm=num_perm)
        self._signatures: dict[Hashable, np.ndarray] = {}
        self._ids: set[Hashable] = set()
        self._pairs: dict[tuple[Hashable, Hashable], list[Match]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item_id: Hashable) -> bool:
        return item_id in self._ids

    def query(
        self,
        *,
        image_hashes: Iterable[str] = (),
        text_signature: Sequence[int] | None = None,
        exclude: Hashable | None = None,
    ) -> list[Match]:
        """Items already indexed that look like the given fingerprints.

        One match per (other item, kind), the best score first.
        """
        best: dict[tuple[Hashable, str], Match] = {}
        for fingerprint in image_hashes:
            for match in self._query_image(fingerprint):
                self._keep_best(best, match, exclude)
        if text_signature:
            for match in self._query_text(text_signature):
                self._keep_best(best, match, exclude)
        return sorted(best.values(), key=lambda m: (-m.score, m.kind, str(m.other_id)))

    def add(
        self,
        item_id: Hashable,
        *,
        image_hashes: Iterable[str] = (),
        text_signature: Sequence[int] | None = None,
    ) -> list[Match]:
        """Index an item and return its matches among items added before."""
        if item_id in self._ids:
            raise ValueError(f"item {item_id!r} is already in the index")
        image_hashes = list(image_hashes)
        matches = self.query(
            image_hashes=image_hashes, text_signature=text_signature, exclude=item_id
        )
        self._ids.add(item_id)
        for fingerprint in image_hashes:
            phash, dhash = _split(fingerprint)
            if _is_low_information(phash, dhash):
                continue
            for band, value in enumerate(self._band_values(phash)):
                self._bands[band][value].append((item_id, phash, dhash))
        if text_signature:
            if len(text_signature) != self.num_perm:
                raise ValueError("text signature length does not match num_perm")
            values = np.asarray(text_signature, dtype=np.uint64)
            self._signatures[item_id] = values
            self._lsh.insert(item_id, self._minhash(values), check_duplication=False)
        for match in matches:
            self._pairs.setdefault((match.other_id, item_id), []).append(match)
        return matches

    def pairs(self) -> list[tuple[Hashable, Hashable, Match]]:
        """Every (earlier item, later item, match) found so far."""
        return [(a, b, m) for (a, b), found in self._pairs.items() for m in found]

    # -- internals --

    def _minhash(self, values: np.ndarray) -> MinHash:
        return MinHash(
            num_perm=self.num_perm, seed=_MINHASH_SEED, hashvalues=values, scheme=_MINHASH_SCHEME
        )

    @staticmethod
    def _band_values(phash: int) -> list[int]:
        mask = (1 << _BAND_BITS) - 1
        return [(phash >> (band * _BAND_BITS)) & mask for band in range(_BANDS)]

    def _query_image(self, fingerprint: str) -> Iterable[Match]:
        phash, dhash = _split(fingerprint)
        if _is_low_information(phash, dhash):
            return
        seen: set[tuple[Hashable, int]] = set()
        for band, value in enumerate(self._band_values(phash)):
            buckets = self._bands[band]
            for probe in _band_neighbours(value, self._radius):
                for other_id, other_phash, other_dhash in buckets.get(probe, ()):
                    if (other_id, other_phash) in seen:
                        continue
                    seen.add((other_id, other_phash))
                    distance = (phash ^ other_phash).bit_count()
                    if distance > self.image_max_distance:
                        continue
                    if (
                        dhash is not None
                        and other_dhash is not None
                        and (dhash ^ other_dhash).bit_count() > self.dhash_max_distance
                    ):
                        continue
                    yield Match(other_id, "image", 1 - distance / HASH_BITS, distance)

    def _query_text(self, signature: Sequence[int]) -> Iterable[Match]:
        if len(signature) != self.num_perm:
            raise ValueError("text signature length does not match num_perm")
        values = np.asarray(signature, dtype=np.uint64)
        for other_id in self._lsh.query(self._minhash(values)):
            score = float(np.count_nonzero(values == self._signatures[other_id])) / len(values)
            if score >= self.text_threshold:
                yield Match(other_id, "text", score)

    @staticmethod
    def _keep_best(
        best: dict[tuple[Hashable, str], Match], match: Match, exclude: Hashable | None
    ) -> None:
        if match.other_id == exclude:
            return
        key = (match.other_id, match.kind)
        if key not in best or match.score > best[key].score:
            best[key] = match
