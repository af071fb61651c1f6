"""Guessing a password: after too many failures even the right one is refused for a while."""

from __future__ import annotations

import pytest

from podpora.accounts import login
from podpora.core import ratelimit

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


def test_failures_per_address_slow_down_but_do_not_refuse_the_right_password(
    client, cast, monkeypatch
):
    """Behind a proxy or a company's NAT everyone shares one address: an attacker's failures
    from it must not lock everybody out, only make each further attempt wait."""
    delays = []
    monkeypatch.setattr(ratelimit, "_sleep", delays.append)
    monkeypatch.setattr(login, "PER_ADDRESS", 4)
    for name in ("a", "b", "c", "d"):
        attempt(client, name, "x", address="10.9.9.9")
    assert delays == []
    ok, page = attempt(client, "e", "x", address="10.9.9.9")
    assert not ok and WRONG in page and delays == [0.5]
    for name in "fghijklmn":
        attempt(client, name, "x", address="10.9.9.9")
    assert delays[-1] == ratelimit.DELAY_MAX  # it grows, to a ceiling
    ok, _page = attempt(client, "alena", "heslo-123", address="10.9.9.9")
    assert ok  # another person's right password passes (after the wait)
    client.logout()
    delays.clear()
    ok, _page = attempt(client, "adam", "heslo-123", address="10.0.0.2")
    assert ok and delays == []  # other addresses are not slowed


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, cast, monkeypatch, settings):
    settings.PODPORA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    delays = []
    monkeypatch.setattr(ratelimit, "_sleep", delays.append)
    monkeypatch.setattr(login, "PER_USER", 100)
    monkeypatch.setattr(login, "PER_ADDRESS", 2)

    def via_proxy(forwarded, remote="10.0.0.5"):
        client.post(
            "/accounts/login/",
            {"username": "alena", "password": "x"},
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    via_proxy("203.0.113.7")
    via_proxy("1.2.3.4, 203.0.113.7")  # the left part is the client's own story
    via_proxy("203.0.113.7")
    assert delays == [0.5]  # the third from 203.0.113.7
    via_proxy("198.51.100.9")
    assert delays == [0.5]  # another client behind the same proxy: not slowed
    # From an address that is not our proxy the header is ignored: REMOTE_ADDR counts.
    for forwarded in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        via_proxy(forwarded, remote="198.18.0.1")
    assert delays == [0.5, 0.5]


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
