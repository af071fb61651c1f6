"""Blobs live one directory level deep (ab/abcd…); the former two-level files are moved."""

import hashlib
from importlib import import_module

import pytest

from podpora.core import storage


@pytest.fixture(autouse=True)
def _isolated():
    """Pure file system: no database."""


@pytest.fixture
def root(settings, tmp_path):
    settings.STORAGE_DIR = tmp_path / "blobs"
    return tmp_path / "blobs"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_blob_is_one_directory_deep(root):
    digest = storage.write_bytes(b"obsah")
    assert storage.blob_path(digest) == root / digest[:2] / digest
    assert storage.read(digest) == b"obsah"
    assert [p.name for p in root.iterdir()] == [digest[:2]]


def test_files_of_the_two_level_layout_are_moved_and_stay_readable(root):
    contents = [f"příloha {n}".encode() for n in range(40)]
    for data in contents:
        digest = _digest(data)
        old = root / digest[:2] / digest[2:4] / digest
        old.parent.mkdir(parents=True, exist_ok=True)
        old.write_bytes(data)
    leftover = root / "ab" / "cd" / ".tmp-interrupted"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"half")
    new_style = storage.write_bytes(b"already new")

    migration = import_module("podpora.core.migrations.0003_blob_layout")
    migration.flatten(None, None)

    assert all(storage.read(_digest(data)) == data for data in contents)
    assert storage.read(new_style) == b"already new"
    assert not [p for p in root.rglob("*") if p.is_dir() and p.parent != root]
    assert not list(root.rglob(".tmp-*"))
    assert storage.flatten_layout(root) == 0  # a second run finds nothing to move


def test_a_missing_storage_directory_is_left_alone(root):
    import_module("podpora.core.migrations.0003_blob_layout").flatten(None, None)
    assert not root.exists()
