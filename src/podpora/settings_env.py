"""Reading the environment for settings.py, strictly: a value that means nothing is an error at
start-up, not a silent default. No Django here beyond its configuration error."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
#: the key earlier versions used when none was given; never accepted outside debug mode
DEVELOPMENT_KEY = "insecure-development-key-change-me"


def env(name: str, default: str = "") -> str:
    """``NAME`` from the environment, or the content of the file named by ``NAME_FILE`` (a
    container secret; its final line break dropped). Both at once is an error."""
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if path:
        if value is not None:
            raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc}") from exc
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    """1/true/yes/on or 0/false/no/off (any case; empty is false); anything else is an error."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a yes/no value: use 1 or 0.")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def networks(name: str) -> list[str]:
    """A comma-separated list of addresses or networks (``10.0.0.1``, ``10.0.0.0/8``, ``::1``)."""
    import ipaddress

    items = [p.strip() for p in env(name).split(",") if p.strip()]
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an address or network.") from None
    return items


def secret_key(given: str, data_dir: Path, debug: bool) -> str:
    """The key given; else one generated once and kept in the data folder (so a demo or a
    one-machine install needs no configuration and sessions survive a restart). The old
    development key is refused unless debugging."""
    if given:
        if given == DEVELOPMENT_KEY and not debug:
            raise ImproperlyConfigured(
                "PODPORA_SECRET_KEY is the published development key: set a long random one "
                "(or leave it unset to have one generated in the data folder)."
            )
        return given
    path = data_dir / "secret_key"
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        return _ephemeral(path, exc)
    # Written whole under a temporary name, then linked into place: another process starting
    # at the same moment either finds the complete file or makes its link fail.
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = data_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        return _ephemeral(path, exc)
    key = secrets.token_urlsafe(48)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(key + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)
    except FileExistsError:
        return _read_key(path)
    finally:
        tmp.unlink(missing_ok=True)
    return key


def _ephemeral(path: Path, exc: OSError) -> str:
    """No key can be kept (a read-only or missing data folder): this process gets a random
    one, so a command such as the mail pipe still runs (and answers 75 if it cannot store);
    log-ins then last only as long as the process. Said on stderr, once per start."""
    import sys

    sys.stderr.write(
        f"podpora: no PODPORA_SECRET_KEY and none can be kept in {path} ({exc}); using a "
        "temporary key for this process only. Set PODPORA_SECRET_KEY.\n"
    )
    return secrets.token_urlsafe(48)


def _read_key(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < 50:
        raise ImproperlyConfigured(f"{path} holds no usable secret key: delete it or set one.")
    return key
