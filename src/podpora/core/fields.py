"""Model fields of the shared kernel."""

from __future__ import annotations

from django.db import models

from . import crypto


class UndecryptableSecret(str):
    """A stored token that no configured key opens (the key changed).

    It reads as an empty string, so code that uses the secret does not crash, and keeps the
    token, so saving the row writes it back unchanged: restoring the old key recovers it.
    """

    stored: str

    def __new__(cls, stored: str) -> UndecryptableSecret:
        obj = super().__new__(cls, "")
        obj.stored = stored
        return obj

    def __getnewargs__(self) -> tuple[str]:
        return (self.stored,)

    def __repr__(self) -> str:
        return "UndecryptableSecret()"


class EncryptedTextField(models.TextField):
    """Text encrypted at rest (``core.crypto``); the attribute holds the plain value.

    The empty string is stored as it is (no secret set). Plain values stored before the
    field was encrypted load unchanged and are encrypted when the row is saved. Lookups other
    than ``=""`` and ``isnull`` cannot match: every encryption gives a different token.

    Serialised (``dumpdata``), the field writes the token, never the plain value, and reads a
    token back as the value it holds (``loaddata`` with the same keys restores the secret).
    """

    def from_db_value(self, value, expression, connection):
        return self._open(value)

    def to_python(self, value):
        return self._open(super().to_python(value))

    @staticmethod
    def _open(value):
        if not crypto.is_encrypted(value):
            return value
        try:
            return crypto.decrypt(value)
        except crypto.DecryptionError:
            return UndecryptableSecret(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        if isinstance(value, UndecryptableSecret):
            return value.stored
        return crypto.encrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if isinstance(value, UndecryptableSecret):
            return value.stored
        if not value:
            return value
        return crypto.encrypt(value)
