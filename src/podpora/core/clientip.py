"""The client's address: REMOTE_ADDR, or, when that is one of our configured reverse proxies
(PODPORA_TRUSTED_PROXIES), the nearest address in X-Forwarded-For that is not one of them.
A header from anyone else is ignored: it is whatever the client chose to write."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(spec: Iterable[str]) -> tuple[Network, ...]:
    """``10.0.0.1``, ``10.0.0.0/8``, ``::1`` … as networks; a bad entry is an error (settings)."""
    return tuple(ipaddress.ip_network(s.strip(), strict=False) for s in spec if s.strip())


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_address(remote_addr: str, forwarded_for: str, trusted: tuple[Network, ...]) -> str:
    """Pure: the address to count attempts by."""
    remote = _parse(remote_addr or "")
    if remote is None:
        return remote_addr or "unknown"
    if not any(remote in net for net in trusted):
        return str(remote)
    # Right to left: each proxy appends the address it received from; the first one that is
    # not ours is the client (anything further left the client may have made up).
    for hop in reversed((forwarded_for or "").split(",")):
        address = _parse(hop)
        if address is None:
            break
        if not any(address in net for net in trusted):
            return str(address)
    return str(remote)


@lru_cache(maxsize=8)
def _trusted(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return networks(spec)


def of(request) -> str:
    """The client address of a Django request."""
    from django.conf import settings

    trusted = _trusted(tuple(getattr(settings, "PODPORA_TRUSTED_PROXIES", ())))
    meta = request.META
    return client_address(
        meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), trusted
    )
