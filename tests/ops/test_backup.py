"""`podpora backup` and `podpora restore`: into an empty instance, every row count and every
file digest as in the original (SQLite, PostgreSQL, and the portable dump between them)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest


def podpora(*args, data: Path, database_url: str | None = None, check=True):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env["PODPORA_DATA_DIR"] = str(data)
    env.pop("PODPORA_STORAGE_DIR", None)
    data.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "podpora.cli", *args], env=env, capture_output=True, text=True
    )
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def digests(store: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in store.rglob("*")
        if p.is_file() and not p.name.startswith(".tmp-")
    }


def sqlite_counts(path: Path, tables=None) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        names = tables or [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in names}
    finally:
        db.close()


def model_tables() -> list[str]:
    from django.apps import apps

    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)})


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """An instance with the demo's five vendors, their tickets, e-mails and files."""
    data = tmp_path_factory.mktemp("source")
    podpora("migrate", "--noinput", "-v", "0", data=data)
    podpora("demo", data=data)
    assert digests(data / "blobs"), "the demo stores files"
    return data


def test_backup_and_restore_sqlite(source, tmp_path):
    backup = tmp_path / "backup"
    made = podpora("backup", str(backup), data=source)
    assert "files:" in made.stderr and "database" in made.stderr  # progress shown
    assert (backup / "manifest.json").is_file()

    target = tmp_path / "empty"
    restored = podpora("restore", str(backup), data=target)
    assert "every row count and file digest" in restored.stdout
    original = sqlite_counts(source / "podpora.sqlite3")
    assert sum(original.values()) > 100
    assert sqlite_counts(target / "podpora.sqlite3") == original
    assert digests(target / "blobs") == digests(source / "blobs")

    again = podpora("restore", str(backup), data=target, check=False)
    assert again.returncode != 0
    assert "already holds data" in again.stderr and "Traceback" not in again.stderr


def test_portable_backup_restores_into_an_empty_sqlite(source, tmp_path):
    backup = tmp_path / "portable"
    podpora("backup", "--portable", str(backup), data=source)
    assert (backup / "database").is_dir()
    target = tmp_path / "empty"
    podpora("restore", str(backup), data=target)
    tables = model_tables()
    assert sqlite_counts(target / "podpora.sqlite3", tables) == sqlite_counts(
        source / "podpora.sqlite3", tables
    )
    assert digests(target / "blobs") == digests(source / "blobs")


def test_backup_refuses_a_directory_in_use_and_restore_a_non_backup(source, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    refused = podpora("backup", str(tmp_path / "full"), data=source, check=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr
    nothing = podpora("restore", str(tmp_path / "full"), data=tmp_path / "new", check=False)
    assert nothing.returncode != 0 and "manifest.json" in nothing.stderr
    assert "Traceback" not in refused.stderr + nothing.stderr


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_base() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[0] if url.startswith("postgres") else None


@pytest.fixture
def pg_databases():
    base = _pg_base()
    if base is None:
        pytest.skip("DATABASE_URL is not PostgreSQL")
    import psycopg

    names = [f"podpora_bk_{uuid.uuid4().hex[:8]}_{n}" for n in ("a", "b", "c")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    yield [f"{base}/{name}" for name in names]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_counts(url: str, tables: list[str]) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_sqlite_to_postgresql_and_postgresql_backup_restore(source, tmp_path, pg_databases):
    first, second, third = pg_databases
    tables = model_tables()
    expected = sqlite_counts(source / "podpora.sqlite3", tables)

    # Moving an SQLite instance to PostgreSQL: a portable backup restored there.
    portable = tmp_path / "portable"
    podpora("backup", "--portable", str(portable), data=source)
    pg_data = tmp_path / "pg-a"
    podpora("restore", str(portable), data=pg_data, database_url=first)
    assert pg_counts(first, tables) == expected

    # PostgreSQL's own backup (pg_dump) into an empty PostgreSQL database.
    dump = tmp_path / "pgdump"
    made = podpora("backup", str(dump), data=pg_data, database_url=first)
    assert (dump / "database.pgdump").is_file(), made.stderr
    podpora("restore", str(dump), data=tmp_path / "pg-b", database_url=second)
    assert pg_counts(second, tables) == expected
    assert digests(tmp_path / "pg-b" / "blobs") == digests(source / "blobs")

    # And the portable dump of PostgreSQL, as when pg_dump is not installed.
    portable_pg = tmp_path / "portable-pg"
    podpora("backup", "--portable", str(portable_pg), data=pg_data, database_url=first)
    podpora("restore", str(portable_pg), data=tmp_path / "pg-c", database_url=third)
    assert pg_counts(third, tables) == expected
    assert digests(tmp_path / "pg-c" / "blobs") == digests(source / "blobs")
