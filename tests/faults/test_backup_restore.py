"""A backup restored into a fresh database has the same rows and byte-identical files."""

import sqlite3
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from gongchuang.common.backup import (
    BackupError,
    create_backup,
    restore_backup,
    row_counts,
)
from gongchuang.common.files.hashing import sha256_of_path


def _plant(edition, roles):
    default_storage.save("works/1/a.png", ContentFile(b"\x89PNG fake bytes " * 100))
    default_storage.save("works/1/b.pdf", ContentFile(b"%PDF-1.4 body %%EOF"))


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_rows_and_files(edition, roles, settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite path")
    _plant(edition, roles)
    archive = tmp_path / "b.tar.gz"
    manifest = create_backup(archive)
    restored_db, restored_media = tmp_path / "restored.sqlite3", tmp_path / "media2"
    restore_backup(archive, media_root=restored_media, database_path=restored_db)
    con = sqlite3.connect(restored_db)
    for table, count in manifest["database"]["row_counts"].items():
        assert con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count, table  # noqa: S608
    assert manifest["database"]["row_counts"]["accounts_user"] == 8
    for rel, digest in manifest["media"].items():
        assert sha256_of_path(restored_media / rel) == digest
    assert set(manifest["media"]) == {"works/1/a.png", "works/1/b.pdf"}


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_tampered_archive(edition, roles, tmp_path):
    import tarfile

    _plant(edition, roles)
    archive = tmp_path / "b.tar.gz"
    create_backup(archive)
    tampered = tmp_path / "t.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.endswith("a.png"):
                data = data.replace(b"fake", b"evil")
            member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError):
        restore_backup(tampered, media_root=tmp_path / "m", database_path=tmp_path / "x.sqlite3")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_restores_into_a_fresh_database(roles, tmp_path):
    import psycopg

    archive = tmp_path / "pg.tar.gz"
    manifest = create_backup(archive)
    params = connection.settings_dict
    fresh = f"restore_{uuid.uuid4().hex[:8]}"
    admin = dict(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    )
    with psycopg.connect(**admin) as con:
        con.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restore_backup(archive, media_root=tmp_path / "m", database_name=fresh)
        with psycopg.connect(**{**admin, "dbname": fresh}) as con:
            for table, count in manifest["database"]["row_counts"].items():
                assert con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] == count, table  # noqa: S608
    finally:
        with psycopg.connect(**admin) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def test_row_counts_cover_every_table(db):
    counts = row_counts()
    assert "submissions_work" in counts and "common_auditevent" in counts
