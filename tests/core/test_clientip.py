"""The client address behind trusted reverse proxies, and only those (pure, table-driven)."""

import pytest

from podpora.core.clientip import client_address, networks

PROXIES = networks(["10.0.0.0/8", "::1"])


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        ("192.0.2.1", "", "192.0.2.1"),
        ("192.0.2.1", "203.0.113.5", "192.0.2.1"),  # not our proxy: its header is ignored
        ("10.0.0.2", "203.0.113.5", "203.0.113.5"),
        ("10.0.0.2", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the left part is made up
        ("10.0.0.2", "203.0.113.5, 10.1.1.1", "203.0.113.5"),  # two of our proxies
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "garbage", "10.0.0.2"),
        ("10.0.0.2", "203.0.113.5:4711", "203.0.113.5"),
        ("::1", "[2001:db8::7]:443", "2001:db8::7"),
        ("10.0.0.2", "2001:db8::7", "2001:db8::7"),
        ("", "203.0.113.5", "unknown"),
    ],
)
def test_client_address(remote, forwarded, expected):
    assert client_address(remote, forwarded, PROXIES) == expected


def test_without_proxies_the_header_never_counts():
    assert client_address("10.0.0.2", "203.0.113.5", ()) == "10.0.0.2"


def test_a_bad_proxy_setting_is_an_error(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from podpora.settings_env import networks as setting

    monkeypatch.setenv("PODPORA_TRUSTED_PROXIES", "10.0.0.1, proxy.example")
    with pytest.raises(ImproperlyConfigured, match="proxy.example"):
        setting("PODPORA_TRUSTED_PROXIES")
