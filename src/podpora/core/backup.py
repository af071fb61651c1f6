"""Backup and restore of the database and the file store, as one consistent pair.

A backup directory holds ``manifest.json`` (written last: a directory without it is no
backup), the database — ``database.sqlite3`` (SQLite's online backup), ``database.pgdump``
(``pg_dump --format=custom``) or ``database/*.jsonl`` (a portable dump through Django's
serialisers, for any engine, also to move from SQLite to PostgreSQL) — and ``blobs/``, the
file store in its own layout.

Consistency: the database is copied first, from one snapshot (SQLite's backup, pg_dump's
snapshot, or one REPEATABLE READ transaction), and the row counts are taken in that same
snapshot; the files are copied after it. A file is written and fsync'd before the row that
points at it commits, and files are never deleted, so every file a row of the snapshot names
is already there when the files are copied; files stored after the snapshot come along
unreferenced and do no harm. Every file's SHA-256 is checked against its name as it is copied,
and again when it is restored; a restore then counts every table against the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

FORMAT = 1
CHUNK = 1024 * 1024
Progress = Callable[[str], None]


class BackupError(Exception):
    """Said to the person running the command, as it is; no trace."""


# --- what there is ----------------------------------------------------------------------------


def table_counts(cursor, tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def current_tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def store_files(root: Path):
    """(digest, path) of each stored file; temporary files of an unfinished write skipped."""
    if not root.is_dir():
        return
    for sub in sorted(root.iterdir()):
        if not sub.is_dir() or len(sub.name) != 2:
            continue
        for path in sorted(sub.iterdir()):
            if path.is_file() and not path.name.startswith(".tmp-") and len(path.name) == 64:
                yield path.name, path


def copy_verified(src: Path, dst: Path, digest: str) -> int:
    """Copy with fsync, checking the content's SHA-256 against ``digest``; returns the size."""
    hasher = hashlib.sha256()
    dst.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=".tmp-")
    size = 0
    try:
        with src.open("rb") as fin, os.fdopen(fd, "wb") as fout:
            while chunk := fin.read(CHUNK):
                hasher.update(chunk)
                fout.write(chunk)
                size += len(chunk)
            fout.flush()
            os.fsync(fout.fileno())
        if hasher.hexdigest() != digest:
            raise BackupError(f"file {src} does not match its digest (damaged); not copied")
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return size


class Meter:
    """Progress as lines: at most one every second or so, and the last one."""

    def __init__(self, progress: Progress, what: str, total: int):
        import time

        self.time = time.monotonic
        self.progress, self.what, self.total = progress, what, total
        self.done, self.last = 0, 0.0

    def step(self, n: int = 1) -> None:
        self.done += n
        now = self.time()
        if now - self.last >= 1.0 or self.done == self.total:
            self.last = now
            pct = 100 * self.done // self.total if self.total else 100
            self.progress(f"{self.what}: {self.done}/{self.total} ({pct} %)")


# --- backup -----------------------------------------------------------------------------------


def backup(target: Path, progress: Progress, portable: bool = False) -> dict:
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; choose a new directory for the backup")
    target.mkdir(parents=True, exist_ok=True)
    engine = connection.vendor
    started = dt.datetime.now(dt.UTC)
    if portable:
        kind, counts = _dump_portable(target, progress)
    elif engine == "sqlite":
        kind, counts = _dump_sqlite(target, progress)
    elif engine == "postgresql" and shutil.which("pg_dump"):
        kind, counts = _dump_pg(target, progress)
    else:
        progress("pg_dump is not installed: a portable dump instead")
        kind, counts = _dump_portable(target, progress)
    files = _copy_store(Path(settings.STORAGE_DIR), target / "blobs", progress)
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "database": kind,
        "started_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "migrations": _applied_migrations(),
        "tables": counts,
        "files": files,
    }
    tmp = target / "manifest.json.tmp"
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target / "manifest.json")
    return manifest


def _applied_migrations() -> list[list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted([a, n] for a, n in MigrationRecorder(connection).applied_migrations())


def _dump_sqlite(target: Path, progress: Progress):
    progress("database (SQLite): copying …")
    connection.ensure_connection()
    dest_path = target / "database.sqlite3"
    dest = sqlite3.connect(dest_path)
    try:
        # One step: a consistent snapshot even while other processes write (WAL).
        connection.connection.backup(dest)
        tables = [
            r[0]
            for r in dest.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {t: dest.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        dest.close()
    size = dest_path.stat().st_size
    progress(f"database (SQLite): {len(counts)} tables, {size // 1024} KiB")
    return "sqlite3", dict(sorted(counts.items()))


def _pg_url() -> str:
    s = connection.settings_dict
    from urllib.parse import quote

    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "localhost"
    port = s.get("PORT") or "5432"
    return f"postgresql://{auth}@{host}:{port}/{quote(s['NAME'], safe='')}"


def _dump_pg(target: Path, progress: Progress):
    """pg_dump of a snapshot this transaction exported, counted in the same snapshot."""
    progress("database (PostgreSQL): pg_dump …")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts(cursor, current_tables())
        proc = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target / 'database.pgdump'}",
                "--verbose",
                f"--dbname={_pg_url()}",
            ],
            capture_output=True,
            text=True,
        )
    for line in proc.stderr.splitlines():
        if "dumping contents of table" in line:
            progress("database (PostgreSQL): " + line.split("pg_dump: ", 1)[-1])
    if proc.returncode != 0:
        raise BackupError("pg_dump failed: " + proc.stderr.strip().splitlines()[-1])
    return "pgdump", counts


def _portable_models():
    from django.apps import apps

    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]


def _dump_portable(target: Path, progress: Progress):
    from django.core import serializers

    out = target / "database"
    out.mkdir()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        models = _portable_models()
        # What a portable dump carries: the models' tables (no search index, no migration
        # records: the restoring instance has its own).
        counts = table_counts(cursor, sorted({m._meta.db_table for m in models}))
        for model in models:
            table = model._meta.db_table
            total = counts.get(table, 0)
            meter = Meter(progress, f"database: {table}", total)
            with (out / f"{model._meta.label_lower}.jsonl").open("w", encoding="utf-8") as fh:
                rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
                for obj in rows:
                    serializers.serialize("jsonl", [obj], stream=fh)
                    meter.step()
            if total == 0:
                progress(f"database: {table}: 0")
    return "jsonl", counts


def _copy_store(root: Path, dest: Path, progress: Progress) -> dict[str, int]:
    found = list(store_files(root))
    meter = Meter(progress, "files", len(found))
    files = {}
    for digest, path in found:
        files[digest] = copy_verified(path, dest / digest[:2] / digest, digest)
        meter.step()
    if not found:
        progress("files: none")
    return files


# --- restore ----------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    path = Path(source) / "manifest.json"
    if not path.is_file():
        raise BackupError(f"{source} holds no complete backup (manifest.json is missing)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        raise BackupError(f"{path} is damaged (not JSON)")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: a backup format this version does not know")
    return manifest


def is_empty() -> bool:
    """No people, vendors, tickets or files: a new instance (migrated or not)."""
    tables = set(current_tables())
    with connection.cursor() as cursor:
        for table in ("accounts_user", "customers_vendor", "tickets_ticket", "core_blob"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return False
    return not any(True for _ in store_files(Path(settings.STORAGE_DIR)))


def restore(source: Path, progress: Progress, force: bool = False) -> dict:
    source = Path(source)
    manifest = read_manifest(source)
    if not force and not is_empty():
        raise BackupError(
            "this instance already holds data; restore into an empty one "
            "(or add --force to replace what is there)"
        )
    kind = manifest["database"]
    if kind == "sqlite3":
        if connection.vendor != "sqlite":
            raise BackupError(
                "the backup is an SQLite database; to move it to PostgreSQL make a portable "
                "backup (podpora backup --portable DIR) and restore that"
            )
        _restore_sqlite(source / "database.sqlite3", progress)
    elif kind == "pgdump":
        if connection.vendor != "postgresql":
            raise BackupError("the backup is a PostgreSQL dump; restore it into PostgreSQL")
        _restore_pg(source / "database.pgdump", progress)
    elif kind == "jsonl":
        _restore_portable(source / "database", manifest, progress)
    else:
        raise BackupError(f"unknown database format {kind!r} in the manifest")
    _restore_store(source / "blobs", manifest["files"], progress)
    problems = verify(manifest)
    return {
        "problems": problems,
        "tables": len(manifest["tables"]),
        "files": len(manifest["files"]),
    }


def _restore_sqlite(path: Path, progress: Progress) -> None:
    progress("database (SQLite): restoring …")
    connection.ensure_connection()
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        src.backup(connection.connection)  # replaces every page of ours
    finally:
        src.close()
    connection.close()


def _restore_pg(path: Path, progress: Progress) -> None:
    if not shutil.which("pg_restore"):
        raise BackupError("pg_restore is not installed (postgresql-client)")
    progress("database (PostgreSQL): pg_restore …")
    connection.close()
    proc = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_pg_url()}",
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise BackupError("pg_restore failed: " + proc.stderr.strip().splitlines()[-1])


def _restore_portable(folder: Path, manifest: dict, progress: Progress) -> None:
    from django.core import serializers
    from django.core.management import call_command
    from django.core.management.color import no_style

    call_command("migrate", interactive=False, verbosity=0)
    models = _portable_models()
    with transaction.atomic():
        with connection.cursor() as cursor:  # the instance's own rows (from migrate) go
            tables = [m._meta.db_table for m in models]
            for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                cursor.execute(sql)
        with connection.constraint_checks_disabled():
            for model in models:
                path = folder / f"{model._meta.label_lower}.jsonl"
                if not path.exists():
                    continue
                table = model._meta.db_table
                meter = Meter(progress, f"database: {table}", manifest["tables"].get(table, 0))
                with connection.cursor() as cursor:
                    # A row a trigger wrote meanwhile (the configuration token) gives way.
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
                batch = []
                with path.open(encoding="utf-8") as fh:
                    for item in serializers.deserialize("jsonl", fh, ignorenonexistent=True):
                        batch.append(item.object)
                        if len(batch) >= 1000:
                            model._base_manager.bulk_create(batch)
                            meter.step(len(batch))
                            batch = []
                if batch:
                    model._base_manager.bulk_create(batch)
                    meter.step(len(batch))
        connection.check_constraints()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def _restore_store(folder: Path, files: dict[str, int], progress: Progress) -> None:
    root = Path(settings.STORAGE_DIR)
    meter = Meter(progress, "files", len(files))
    for digest in sorted(files):
        src = folder / digest[:2] / digest
        if not src.is_file():
            raise BackupError(f"the backup lacks the file {digest}")
        copy_verified(src, root / digest[:2] / digest, digest)
        meter.step()
    if not files:
        progress("files: none")


def verify(manifest: dict) -> list[str]:
    """What differs from the manifest: every table's row count, every file's digest."""
    problems = []
    tables = current_tables()
    with connection.cursor() as cursor:
        counts = table_counts(cursor, [t for t in tables if t in manifest["tables"]])
    for table, expected in sorted(manifest["tables"].items()):
        if table not in counts:
            problems.append(f"table {table} is missing")
        elif counts[table] != expected:
            problems.append(f"table {table}: {counts[table]} rows, the backup had {expected}")
    root = Path(settings.STORAGE_DIR)
    for digest, size in sorted(manifest["files"].items()):
        path = root / digest[:2] / digest
        if not path.is_file():
            problems.append(f"file {digest} is missing")
            continue
        hasher = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                hasher.update(chunk)
        if hasher.hexdigest() != digest or path.stat().st_size != size:
            problems.append(f"file {digest} differs from the backup")
    return problems
