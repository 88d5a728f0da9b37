"""User-supplied file names: cleaned for display and storage, never trusted for the type."""

import unicodedata


def clean_filename(name: str) -> str:
    """Return a safe display/storage base name for a user-supplied file name.

    NFC-normalises (macOS sends NFD), keeps only the last path component
    (browsers on Windows send ``C:\\fakepath\\x.png``), drops control and
    format characters (including the U+202E right-to-left override used to
    make ``gpj.exe`` look like ``exe.jpg``) and trims dots and spaces.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return name.strip().strip(".").strip()


def extension_of(name: str) -> str:
    base, dot, extension = name.rpartition(".")
    return extension.lower().strip() if dot and base else ""
