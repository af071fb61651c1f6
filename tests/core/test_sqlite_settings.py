"""SQLite gets WAL, IMMEDIATE transactions and a busy timeout however it is named: by default
or as ``DATABASE_URL=sqlite:///…`` (without them the portal answered 500 "database is locked"
while the worker wrote)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy = cursor.fetchone()[0]
db = settings.DATABASES["default"]
print(json.dumps({"options": db["OPTIONS"], "name": str(db["NAME"]), "journal": mode,
                  "busy_ms": busy, "immediate": connection.transaction_mode}))
"""


def probe(tmp_path: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="podpora.settings", PODPORA_DATA_DIR=str(tmp_path))
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("named_by_url", [False, True], ids=["default", "DATABASE_URL"])
def test_sqlite_has_the_same_options_however_it_is_named(tmp_path, named_by_url):
    url = f"sqlite:///{tmp_path / 'named.sqlite3'}" if named_by_url else None
    seen = probe(tmp_path, url)
    assert seen["name"].endswith("named.sqlite3" if named_by_url else "podpora.sqlite3")
    assert seen["options"]["transaction_mode"] == "IMMEDIATE"
    assert seen["options"]["timeout"] == 20
    assert "journal_mode=WAL" in seen["options"]["init_command"]
    assert seen["journal"] == "wal"  # the connection really runs in WAL
    assert seen["busy_ms"] == 20000
    assert seen["immediate"] == "IMMEDIATE"
