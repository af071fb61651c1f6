"""Production settings are strict: a value that means nothing stops the start, the published
development key is refused, secrets may come from files, and `check --deploy` is clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from podpora import settings_env
from podpora.settings_env import DEVELOPMENT_KEY, env, env_bool, secret_key


@pytest.mark.parametrize(
    "value, expected",
    [("1", True), ("true", True), ("Yes", True), (" on ", True), ("0", False), ("off", False),
     ("FALSE", False), ("no", False), ("", False)],
)  # fmt: skip
def test_booleans_read_strictly(monkeypatch, value, expected):
    monkeypatch.setenv("PODPORA_X", value)
    assert env_bool("PODPORA_X") is expected


@pytest.mark.parametrize("value", ["ture", "2", "enabled", "y e s"])
def test_a_boolean_that_means_nothing_is_an_error(monkeypatch, value):
    monkeypatch.setenv("PODPORA_X", value)
    with pytest.raises(ImproperlyConfigured, match="PODPORA_X"):
        env_bool("PODPORA_X")


def test_unset_boolean_is_its_default(monkeypatch):
    monkeypatch.delenv("PODPORA_X", raising=False)
    assert env_bool("PODPORA_X", True) is True


def test_a_secret_from_a_file(monkeypatch, tmp_path):
    (tmp_path / "pw").write_text("s3cret value\n")
    monkeypatch.delenv("PODPORA_SMTP_PASSWORD", raising=False)
    monkeypatch.setenv("PODPORA_SMTP_PASSWORD_FILE", str(tmp_path / "pw"))
    assert env("PODPORA_SMTP_PASSWORD") == "s3cret value"
    monkeypatch.setenv("PODPORA_SMTP_PASSWORD", "other")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env("PODPORA_SMTP_PASSWORD")
    monkeypatch.delenv("PODPORA_SMTP_PASSWORD")
    monkeypatch.setenv("PODPORA_SMTP_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        env("PODPORA_SMTP_PASSWORD")


def test_the_development_key_is_refused_outside_debug(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="development key"):
        secret_key(DEVELOPMENT_KEY, tmp_path, debug=False)
    assert secret_key(DEVELOPMENT_KEY, tmp_path, debug=True) == DEVELOPMENT_KEY


def test_no_key_given_generates_one_kept_in_the_data_folder(tmp_path):
    data = tmp_path / "new" / "data"
    first = secret_key("", data, debug=False)
    assert len(first) >= 50 and first != DEVELOPMENT_KEY
    assert (data / "secret_key").stat().st_mode & 0o077 == 0  # the owner's only
    assert secret_key("", data, debug=False) == first  # the same after a restart
    assert [p.name for p in data.iterdir()] == ["secret_key"]  # no temporary file left


def test_a_damaged_key_file_is_an_error_not_a_weak_key(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(ImproperlyConfigured, match="no usable secret key"):
        settings_env.secret_key("", tmp_path, debug=False)


def _podpora(args, env_vars, cwd):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PODPORA_")}
    environ.pop("DATABASE_URL", None)
    environ.update(env_vars)
    return subprocess.run(
        [str(Path(sys.executable).with_name("podpora")), *args],
        env=environ, cwd=cwd, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


PRODUCTION = {
    "PODPORA_DEBUG": "0",
    "PODPORA_SECURE_COOKIES": "1",
    "PODPORA_SSL_REDIRECT": "1",
    "PODPORA_HSTS_SECONDS": "31536000",
    "PODPORA_HSTS_PRELOAD": "1",
    "PODPORA_ALLOWED_HOSTS": "podpora.example.cz",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    key = tmp_path / "key"
    key.write_text("k" * 10 + "A9b8C7d6E5f4G3h2I1j0KlMnOpQrStUvWxYz-_0123456789abcdef\n")
    env_vars = PRODUCTION | {"PODPORA_DATA_DIR": str(tmp_path), "PODPORA_SECRET_KEY_FILE": str(key)}
    done = _podpora(["check", "--deploy", "--fail-level", "WARNING"], env_vars, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout


def test_production_refuses_a_misspelt_boolean_and_the_development_key(tmp_path):
    env_vars = {"PODPORA_DATA_DIR": str(tmp_path), "PODPORA_SECURE_COOKIES": "ture"}
    done = _podpora(["check"], env_vars, tmp_path)
    assert done.returncode != 0 and "PODPORA_SECURE_COOKIES='ture'" in done.stderr
    env_vars = {"PODPORA_DATA_DIR": str(tmp_path), "PODPORA_SECRET_KEY": DEVELOPMENT_KEY}
    done = _podpora(["check"], env_vars, tmp_path)
    assert done.returncode != 0 and "development key" in done.stderr


def test_migrate_creates_a_missing_data_folder(tmp_path):
    data = tmp_path / "not" / "yet"
    env_vars = {"PODPORA_DATA_DIR": str(data), "PODPORA_SECRET_KEY": "x" * 30 + "y" * 30}
    done = _podpora(["migrate", "-v", "0"], env_vars, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (data / "podpora.sqlite3").is_file()


def test_no_place_for_the_key_gives_a_temporary_one_and_says_so(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    key = secret_key("", blocker / "data", debug=False)
    assert len(key) >= 50
    assert "temporary key" in capsys.readouterr().err
