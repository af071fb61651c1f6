"""Short secrets at rest (IMAP passwords): Fernet tokens behind a "fernet:" prefix.

Keys come from ``PODPORA_ENCRYPTION_KEY`` (one or more Fernet keys; the first encrypts, every
one decrypts, so a new key goes first and the old one stays until the values are re-saved).
Keys derived from ``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS`` always come after them: without
the setting they are the only keys, and with it the values written before it was set still
open. The prefix tells a token from a plain value stored before encryption existed.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.encoding import force_bytes

PREFIX = "fernet:"
_HKDF_SALT = b"podpora.core.crypto"
_HKDF_INFO = b"fernet key for secrets at rest"


class DecryptionError(ValueError):
    """No configured key opens the token, or it is not a token at all."""


def is_encrypted(value: str | None) -> bool:
    return bool(value) and value.startswith(PREFIX)


def encrypt(plain: str) -> str:
    return PREFIX + _multi_fernet().encrypt(plain.encode()).decode("ascii")


def decrypt(stored: str) -> str:
    if not is_encrypted(stored):
        raise DecryptionError("not an encrypted value")
    try:
        return _multi_fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError("no configured key decrypts this value") from exc


def derive_key(secret: str | bytes) -> bytes:
    """A Fernet key from a Django secret key (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(force_bytes(secret)))


def configured_keys() -> tuple[str, ...]:
    """``PODPORA_ENCRYPTION_KEY`` as a tuple: a comma-separated string or a list."""
    value = getattr(settings, "PODPORA_ENCRYPTION_KEY", "") or ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(k.strip() for k in value if k and k.strip())


def _multi_fernet() -> MultiFernet:
    secrets = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ()))
    return _build(configured_keys(), tuple(secrets))


@functools.lru_cache(maxsize=8)
def _build(keys: tuple[str, ...], secrets: tuple[str | bytes, ...]) -> MultiFernet:
    fernets = [_fernet(k) for k in keys]
    fernets += [Fernet(derive_key(s)) for s in secrets if s]
    return MultiFernet(fernets)


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key)
    except (ValueError, binascii.Error) as exc:
        raise ImproperlyConfigured(
            "PODPORA_ENCRYPTION_KEY: every comma-separated key must be a Fernet key "
            '(python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")'
        ) from exc


@checks.register(checks.Tags.security)
def check_encryption_keys(app_configs: Iterable | None = None, **kwargs) -> list[checks.Error]:
    try:
        for key in configured_keys():
            _fernet(key)
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="podpora.E001")]
    return []
