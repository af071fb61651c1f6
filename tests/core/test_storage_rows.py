"""Blob rows of a batch written together (storage.rows_together)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from podpora.core import storage
from podpora.core.models import Blob


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.STORAGE_DIR = tmp_path / "blobs"


def test_the_rows_of_a_block_are_one_insert_at_its_end(db):
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        with storage.rows_together():
            blobs = [storage.store(f"obsah {n}".encode()) for n in range(5)]
            storage.store(b"obsah 0")  # the same bytes again: one row
            with storage.rows_together():  # nested: the outer block writes
                storage.store(b"vnoreny")
            assert Blob.objects.count() == 0  # not yet
        assert Blob.objects.count() == 6
    inserts = [q for q in captured.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 1
    assert all(storage.read(b.sha256) == f"obsah {n}".encode() for n, b in enumerate(blobs))


def test_nothing_is_inserted_when_the_block_raises(db):
    with pytest.raises(RuntimeError), storage.rows_together():
        storage.store(b"nic")
        raise RuntimeError
    assert Blob.objects.count() == 0
    storage.store(b"hned")  # outside a block: at once
    assert Blob.objects.count() == 1


def test_a_new_directory_is_flushed_into_its_parent(monkeypatch, settings, tmp_path):
    """The directories of a new blob survive a power cut like the file itself."""
    flushed = []
    real = storage.fsync_directory
    monkeypatch.setattr(storage, "fsync_directory", lambda d: flushed.append(d) or real(d))
    root = tmp_path / "blobs"

    digest = storage.write_bytes(b"prvni")
    path = storage.blob_path(digest)
    assert path.read_bytes() == b"prvni"
    # blobs/ into tmp_path, blobs/ab into blobs, then the rename into blobs/ab
    assert flushed == [tmp_path, root, path.parent]

    flushed.clear()
    storage.write_bytes(b"prvni")  # there already: nothing to do
    assert flushed == []
