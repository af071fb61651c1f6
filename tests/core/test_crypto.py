"""core.crypto: Fernet tokens for short secrets, keyed by the setting or by SECRET_KEY."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from podpora.core import crypto

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _keys(settings):
    settings.SECRET_KEY = "test-secret-key"
    settings.SECRET_KEY_FALLBACKS = []
    settings.PODPORA_ENCRYPTION_KEY = []


def test_round_trip_carries_the_prefix_and_hides_the_text():
    token = crypto.encrypt("tajné heslo")
    assert token.startswith(crypto.PREFIX) and "tajné" not in token
    assert crypto.is_encrypted(token)
    assert crypto.decrypt(token) == "tajné heslo"
    assert crypto.encrypt("tajné heslo") != token  # a fresh IV every time


def test_plain_values_are_not_taken_for_tokens():
    assert not crypto.is_encrypted("heslo")
    assert not crypto.is_encrypted("")
    assert not crypto.is_encrypted(None)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("heslo")


def test_a_tampered_token_does_not_decrypt():
    token = crypto.encrypt("heslo")
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)


def test_rotation_with_two_keys(settings):
    settings.PODPORA_ENCRYPTION_KEY = [KEY_A]
    old = crypto.encrypt("heslo")
    assert Fernet(KEY_A).decrypt(old.removeprefix(crypto.PREFIX).encode()) == b"heslo"

    settings.PODPORA_ENCRYPTION_KEY = [KEY_B, KEY_A]  # the new key first, the old one kept
    new = crypto.encrypt("heslo")
    assert crypto.decrypt(old) == crypto.decrypt(new) == "heslo"
    assert Fernet(KEY_B).decrypt(new.removeprefix(crypto.PREFIX).encode()) == b"heslo"

    settings.PODPORA_ENCRYPTION_KEY = [KEY_B]  # the old key dropped
    assert crypto.decrypt(new) == "heslo"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(old)


def test_the_setting_may_be_a_comma_separated_string(settings):
    settings.PODPORA_ENCRYPTION_KEY = f" {KEY_B} , {KEY_A},"
    assert crypto.configured_keys() == (KEY_B, KEY_A)
    token = crypto.encrypt("heslo")
    assert Fernet(KEY_B).decrypt(token.removeprefix(crypto.PREFIX).encode()) == b"heslo"


def test_without_the_setting_the_key_comes_from_secret_key(settings):
    token = crypto.encrypt("heslo")
    key = crypto.derive_key("test-secret-key")
    assert Fernet(key).decrypt(token.removeprefix(crypto.PREFIX).encode()) == b"heslo"

    settings.SECRET_KEY = "another-secret-key"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_secret_key_fallbacks_decrypt_after_a_rotation(settings):
    token = crypto.encrypt("heslo")
    settings.SECRET_KEY = "rotated-secret-key"
    settings.SECRET_KEY_FALLBACKS = ["test-secret-key"]
    assert crypto.decrypt(token) == "heslo"

    fresh = crypto.encrypt("heslo")  # encrypted with the new SECRET_KEY
    settings.SECRET_KEY_FALLBACKS = []
    assert crypto.decrypt(fresh) == "heslo"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_values_from_before_the_setting_still_decrypt_once_it_is_set(settings):
    token = crypto.encrypt("heslo")  # SECRET_KEY-derived
    settings.PODPORA_ENCRYPTION_KEY = [KEY_A]
    assert crypto.decrypt(token) == "heslo"
    new = crypto.encrypt("heslo")
    assert Fernet(KEY_A).decrypt(new.removeprefix(crypto.PREFIX).encode()) == b"heslo"


def test_a_malformed_key_is_a_configuration_error(settings):
    settings.PODPORA_ENCRYPTION_KEY = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured, match="PODPORA_ENCRYPTION_KEY"):
        crypto.encrypt("heslo")
    assert [e.id for e in crypto.check_encryption_keys()] == ["podpora.E001"]
    settings.PODPORA_ENCRYPTION_KEY = [KEY_A]
    assert crypto.check_encryption_keys() == []


@given(st.text())
def test_any_text_survives_the_round_trip(text):
    token = crypto.encrypt(text)
    assert token.startswith(crypto.PREFIX)
    assert crypto.decrypt(token) == text
