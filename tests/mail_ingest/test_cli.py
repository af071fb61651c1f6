"""`podpora ingest-email` as an MTA runs it: a subprocess with the message on stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import build

PODPORA = str(Path(sys.executable).with_name("podpora"))

SEED = """
from podpora.customers.models import Contact, Organization, Vendor
from podpora.mail.models import Mailbox
vendor = Vendor.objects.create(slug="acme", name="ACME", ticket_prefix="AC")
org = Organization.objects.create(vendor=vendor, name="Alfa")
Contact.objects.create(organization=org, first_name="Alena", last_name="N", email="alena@example.cz")
Mailbox.objects.create(vendor=vendor, name="Podpora", address="podpora@podpora.example")
"""


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PODPORA_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="podpora.settings",
        PODPORA_LOG_LEVEL="ERROR",
    )
    env.update(extra)
    return env


def _ingest(raw: bytes, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PODPORA, "ingest-email"], input=raw, env=env, capture_output=True, timeout=60
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """A migrated SQLite database with one vendor, contact and mailbox."""
    directory = tmp_path_factory.mktemp("pipe")
    env = _env(PODPORA_DATA_DIR=str(directory))
    subprocess.run([PODPORA, "migrate", "-v", "0"], env=env, check=True, timeout=120)
    subprocess.run([PODPORA, "shell", "-c", SEED], env=env, check=True, timeout=60)
    return directory


def test_pipe_files_the_message_and_prints_the_number(data_dir):
    env = _env(PODPORA_DATA_DIR=str(data_dir))
    raw = build(sender="alena@example.cz", subject="Z roury")
    done = _ingest(raw, env)
    assert (done.returncode, done.stdout.decode().strip()) == (0, "AC-00001"), done.stderr
    again = _ingest(raw, env)  # the MTA delivers twice: one ticket
    assert (again.returncode, again.stdout.decode().strip()) == (0, "AC-00001")

    big = _ingest(build(body="x" * 5000), {**env, "PODPORA_MAX_MESSAGE_BYTES": "2000"})
    assert (big.returncode, big.stdout.decode().strip()) == (0, "quarantined: too_large")
    garbage = _ingest(b"\x00\xff" * 100, env)
    assert garbage.returncode == 0 and b"Traceback" not in garbage.stderr


@pytest.mark.parametrize("where", ["closed_port", "no_directory"])
def test_pipe_exits_75_when_it_cannot_store(tmp_path, where):
    if where == "closed_port":
        from .conftest import free_port

        env = _env(DATABASE_URL=f"postgres://podpora@127.0.0.1:{free_port()}/podpora")
    else:
        blocker = tmp_path / "a-file"
        blocker.write_text("not a directory")
        env = _env(PODPORA_DATA_DIR=str(blocker / "data"))
    done = _ingest(build(), env)
    assert done.returncode == 75, done.stderr
    assert done.stdout == b""
    assert b"Traceback" not in done.stderr and b"temporary failure" in done.stderr


def test_an_mbox_through_one_process(data_dir, tmp_path):
    import mailbox

    box = mailbox.mbox(tmp_path / "archive.mbox")
    for n in range(3):
        box.add(build(sender="alena@example.cz", subject=f"Z archivu {n}"))
    box.flush()
    env = _env(PODPORA_DATA_DIR=str(data_dir))
    done = subprocess.run(
        [PODPORA, "ingest-email", "--mbox", str(tmp_path / "archive.mbox")],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip() == "3 of 3 messages stored, 3 new (processed 3)"
    assert done.stderr.decode().strip() == "3/3"  # progress, not a terminal: at each tenth

    missing = subprocess.run(
        [PODPORA, "ingest-email", "--mbox", str(tmp_path / "none.mbox")],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert missing.returncode == 1
    assert b"no such mbox file" in missing.stderr and b"Traceback" not in missing.stderr
