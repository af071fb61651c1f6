"""Content-addressed storage: a file's path is derived from its digest, never from its name.

A name that came from outside (an e-mail attachment, an upload) never reaches the file
system, so no message can write outside the storage directory.
"""

import contextvars
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from . import deferred
from .models import Blob


def blob_path(sha256: str) -> Path:
    """``ab/abcdef…``: one level of 256 directories, as git keeps its objects. They all exist
    after the first few thousand files, so a new file rarely costs a new directory (two
    levels, 65,536 directories, cost one for nearly every file of a store under a million);
    ext4 and XFS index large directories. Migration ``core/0003`` moved the two-level files."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a sha256 digest")
    return Path(settings.STORAGE_DIR) / sha256[:2] / sha256


def remote():
    """The S3-compatible storage (``STORAGES["blobs"]``, ``PODPORA_S3_BUCKET``), or None: the
    files are in ``STORAGE_DIR``."""
    if "blobs" not in settings.STORAGES:
        return None
    from django.core.files.storage import storages

    return storages["blobs"]


def blob_key(sha256: str) -> str:
    """The object key of a file in remote storage: :func:`blob_path`'s layout."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a sha256 digest")
    return f"{sha256[:2]}/{sha256}"


def _put_remote(store, digest: str, content) -> None:
    from django.core.files import File

    key = blob_key(digest)
    if not store.exists(key):  # the same key always holds the same bytes
        store.save(key, File(content, name=key))


def write_bytes(data: bytes) -> str:
    """Write durably (fsync, atomic rename) and return the digest; no database access."""
    digest = hashlib.sha256(data).hexdigest()
    store = remote()
    if store is not None:
        import io

        _put_remote(store, digest, io.BytesIO(data))
        return digest
    path = blob_path(digest)
    try:
        if path.stat().st_size == len(data):
            return digest
    except FileNotFoundError:
        pass
    make_directory(path.parent)
    _write_then_place(path.parent, [data], digest)
    return digest


def write_stream(chunks: Iterable[bytes]) -> tuple[str, int]:
    """Write chunks durably without holding them all in memory; returns (digest, size)."""
    store = remote()
    if store is not None:
        # the key is the digest: the upload is spooled (to disk past 8 MiB) and hashed first
        hasher, size = hashlib.sha256(), 0
        with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
            for chunk in chunks:
                hasher.update(chunk)
                size += len(chunk)
                spool.write(chunk)
            spool.seek(0)
            digest = hasher.hexdigest()
            _put_remote(store, digest, spool)
        return digest, size
    directory = Path(settings.STORAGE_DIR)
    make_directory(directory)
    return _write_then_place(directory, chunks)


def _write_then_place(
    directory: Path, chunks: Iterable[bytes], digest: str | None = None
) -> tuple[str, int]:
    """A temporary file in ``directory``, fsync'd, renamed to its digest's path, the rename
    fsync'd too; nothing is left behind on failure."""
    hasher = hashlib.sha256() if digest is None else None
    size = 0
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                if hasher is not None:
                    hasher.update(chunk)
                size += len(chunk)
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        digest = digest or hasher.hexdigest()
        path = blob_path(digest)
        make_directory(path.parent)
        os.replace(tmp, path)
        fsync_directory(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest, size


def make_directory(directory: Path) -> None:
    """Create ``directory`` and its missing parents, each fsync'd into its own parent: a new
    directory's entry must survive a power cut as much as the file renamed into it."""
    missing = []
    while not directory.is_dir():
        missing.append(directory)
        directory = directory.parent
    for new in reversed(missing):
        new.mkdir(exist_ok=True)
        fsync_directory(new.parent)


def fsync_directory(directory: Path) -> None:
    """Make a rename into ``directory`` survive a power cut (POSIX: the entry lives there)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_pending: contextvars.ContextVar[dict[str, Blob] | None] = contextvars.ContextVar(
    "podpora_pending_blobs", default=None
)


def store(data: bytes) -> Blob:
    """Write ``data`` and make sure its row exists (one INSERT that ignores an existing row,
    or, inside :func:`rows_together`, one for the whole block)."""
    digest = write_bytes(data)
    blob = Blob(sha256=digest, size=len(data))
    pending = _pending.get()
    if pending is not None:
        pending.setdefault(digest, blob)
    else:
        Blob.objects.bulk_create([blob], ignore_conflicts=True)
    return blob


def store_stream(chunks: Iterable[bytes]) -> Blob:
    """:func:`store` for a large upload, written chunk by chunk (a release's installer)."""
    digest, size = write_stream(chunks)
    blob = Blob(sha256=digest, size=size)
    Blob.objects.bulk_create([blob], ignore_conflicts=True)
    return blob


def rows_together():
    """Insert the rows of the blobs stored in the block in one statement at its end (a
    batch of e-mails: one round trip instead of one a message). Only inside a transaction:
    the rows pointing at them (foreign keys checked at commit) must commit with them.
    Nothing is inserted if the block raises."""
    return deferred.collecting(_pending, dict, _insert_rows)


def _insert_rows(rows: dict[str, Blob]) -> None:
    Blob.objects.bulk_create(list(rows.values()), ignore_conflicts=True)


def flatten_layout(root: Path) -> int:
    """Move files from the former two-level layout (``ab/cd/abcd…``) to :func:`blob_path`'s,
    each rename made durable; the emptied directories go. Safe to run again, and after a
    crash half way: returns how many files it moved."""
    moved = 0
    for first in sorted(root.glob("[0-9a-f][0-9a-f]")):
        for second in sorted(p for p in first.iterdir() if p.is_dir()):
            for old in second.iterdir():
                if old.name.startswith(".tmp-"):
                    old.unlink()  # an interrupted write: its message was never acknowledged
                    continue
                os.replace(old, first / old.name)
                moved += 1
            fsync_directory(first)
            second.rmdir()
            fsync_directory(first)
    return moved


def read(sha256: str) -> bytes:
    with open_blob(sha256) as fh:
        return fh.read()


def open_blob(sha256: str):
    """A stored file opened for reading (binary), wherever it is stored."""
    store = remote()
    if store is not None:
        return store.open(blob_key(sha256), "rb")
    return blob_path(sha256).open("rb")
