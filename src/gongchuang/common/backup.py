"""Consistent backups and restores: database + media files + a manifest of sha256 sums.

Archive layout (a .tar.gz):
    manifest.json   {"format": 1, "created_at", "database": {"vendor", "file", "sha256",
                     "row_counts"}, "media": {relative path: sha256}}
    database.sqlite3 | database.pgdump
    media/<relative path>

SQLite is copied with its online backup API (consistent while the site runs);
PostgreSQL with ``pg_dump --format=custom`` (a consistent snapshot). Restore
refuses a non-empty database, verifies every checksum, then loads the data.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .files.hashing import sha256_of_path

FORMAT = 1


class BackupError(Exception):
    pass


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (what a restore must reproduce)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.db_table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    return args, env


def create_backup(destination: Path, *, media_root: Path | None = None) -> dict:
    """Write a backup archive to ``destination`` and return its manifest."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        vendor = connection.vendor
        if vendor == "sqlite":
            if connection.in_atomic_block:
                # The online backup would wait forever for our own write lock.
                raise BackupError("run the SQLite backup outside a transaction")
            db_file = tmpdir / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            with target:
                connection.connection.backup(target)
            target.close()
        elif vendor == "postgresql":
            db_file = tmpdir / "database.pgdump"
            args, env = _pg_env()
            subprocess.run(  # noqa: S603 - fixed executable, arguments from settings
                ["pg_dump", "--format=custom", "--no-owner", *args, "-f", str(db_file), connection.settings_dict["NAME"]],
                check=True, env=env, capture_output=True,
            )
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise BackupError(f"unsupported database {vendor}")
        media = {}
        if media_root.exists():
            for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
                media[path.relative_to(media_root).as_posix()] = sha256_of_path(path)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": vendor, "file": db_file.name, "sha256": sha256_of_path(db_file), "row_counts": row_counts()},
            "media": media,
        }
        (tmpdir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        destination.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(destination, "w:gz") as tar:
            tar.add(tmpdir / "manifest.json", arcname="manifest.json")
            tar.add(db_file, arcname=db_file.name)
            for rel in media:
                tar.add(media_root / rel, arcname=f"media/{rel}")
    return manifest


def _safe_members(tar: tarfile.TarFile):
    for member in tar.getmembers():
        name = member.name
        if name.startswith("/") or ".." in Path(name).parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe path in archive: {name}")
        yield member


def restore_backup(
    archive: Path, *, media_root: Path | None = None, database_path: Path | None = None,
    database_name: str | None = None,
) -> dict:
    """Rebuild an empty instance from ``archive``; returns the manifest after verifying it.

    For SQLite the database file is written to ``database_path`` (default: the
    configured database file); for PostgreSQL the dump is loaded into the
    configured (empty) database with ``pg_restore``.
    """
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(tmpdir, members=list(_safe_members(tar)))  # noqa: S202 - members checked
        manifest = json.loads((tmpdir / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError("unknown backup format")
        db_info = manifest["database"]
        db_file = tmpdir / db_info["file"]
        if sha256_of_path(db_file) != db_info["sha256"]:
            raise BackupError("database dump checksum mismatch")
        for rel, digest in manifest["media"].items():
            if sha256_of_path(tmpdir / "media" / rel) != digest:
                raise BackupError(f"file checksum mismatch: {rel}")
        if db_info["vendor"] == "sqlite":
            target = Path(database_path or settings.DATABASES["default"]["NAME"])
            if target.exists() and target.stat().st_size > 0:
                raise BackupError(f"refusing to overwrite existing database {target}")
            shutil.copyfile(db_file, target)
        else:
            args, env = _pg_env()
            name = database_name or connection.settings_dict["NAME"]
            subprocess.run(  # noqa: S603
                ["pg_restore", "--no-owner", "--exit-on-error", *args, "-d", name, str(db_file)],
                check=True, env=env, capture_output=True,
            )
        for rel in manifest["media"]:
            dest = media_root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists():
                raise BackupError(f"refusing to overwrite existing file {rel}")
            shutil.copyfile(tmpdir / "media" / rel, dest)
    return manifest
