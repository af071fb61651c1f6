"""Guessing a password: after too many failures even the right one is refused for a while."""

from __future__ import annotations

import pytest

from podpora.accounts import login

WRONG = "Uživatelské jméno nebo heslo není správné."
THROTTLED = "Příliš mnoho neúspěšných pokusů o přihlášení. Zkuste to znovu za 15 minut."


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def attempt(client, username, password, address="10.0.0.1"):
    r = client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return r.status_code == 302, r.content.decode()


def test_failures_per_user_name(client, cast, monkeypatch):
    monkeypatch.setattr(login, "PER_USER", 3)
    for _ in range(3):
        ok, page = attempt(client, "alena", "spatne")
        assert not ok and WRONG in page
    ok, page = attempt(client, "ALENA", "heslo-123")  # the right one, too late
    assert not ok and THROTTLED in page
    ok, _page = attempt(client, "adam", "heslo-123")  # another person is not locked out
    assert ok


def test_failures_per_address(client, cast, monkeypatch):
    monkeypatch.setattr(login, "PER_ADDRESS", 4)
    for name in ("a", "b", "c", "d"):
        attempt(client, name, "x", address="10.9.9.9")
    ok, page = attempt(client, "alena", "heslo-123", address="10.9.9.9")
    assert not ok and THROTTLED in page
    ok, _page = attempt(client, "alena", "heslo-123", address="10.0.0.2")
    assert ok


def test_a_success_clears_the_user_count(client, cast, monkeypatch):
    monkeypatch.setattr(login, "PER_USER", 3)
    attempt(client, "alena", "x")
    attempt(client, "alena", "x")
    assert attempt(client, "alena", "heslo-123")[0]
    client.logout()
    attempt(client, "alena", "x")
    attempt(client, "alena", "x")
    assert attempt(client, "alena", "heslo-123")[0]


def test_processes_share_the_count_through_redis(settings):
    """With PODPORA_REDIS_URL, two web processes count the same failures (the machine's Redis
    on 127.0.0.1:6379, as in production)."""
    import uuid

    from django.core.cache.backends.redis import RedisCache

    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"podpora-test-{uuid.uuid4().hex}"
    first, second = (
        RedisCache("redis://127.0.0.1:6379/0", {"KEY_PREFIX": prefix}) for _ in range(2)
    )
    key = "login-fail:user:alena"
    first.add(key, 0, 60)
    first.incr(key)
    second.incr(key)
    assert first.get(key) == 2 == second.get(key)
    first.delete(key)
