"""Where an installation keeps its own files (var/): shared by the settings modules."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def var_dir() -> Path:
    """``GONGCHUANG_VAR_DIR``, else ``var/`` beside the code; created if missing."""
    path = Path(environ.Env()("GONGCHUANG_VAR_DIR", default=str(BASE_DIR / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path
