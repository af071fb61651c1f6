"""Where inbound mail goes: our own addresses and the mailboxes, cached per process.

Read on every message, changed a few times a year: one query set per :data:`ROUTING_TTL`
seconds instead of three per message. Saving or deleting a mailbox, vendor, team, product,
plan, SLA policy or calendar drops the cache of the process that saved it at once (signals,
see ``apps.py``); other processes see the change within :data:`ROUTING_TTL` seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings

from .models import Mailbox
from .threading import normalise_address

ROUTING_TTL = 30.0


@dataclass
class _Routing:
    own_addresses: frozenset[str]
    mailboxes: dict[int, Mailbox]  # with vendor, team and product loaded
    by_address: dict[str, Mailbox]
    vendors_by_address: dict  # a vendor's support address (mail without a mailbox)
    loaded_at: float


_routing: _Routing | None = None


def forget_routing(**_kwargs) -> None:
    """Drop the cached routing data (connected to saves of what it holds, see apps.py)."""
    global _routing
    _routing = None


def routing_data() -> _Routing:
    global _routing
    clock = time.monotonic()
    if _routing is not None and clock - _routing.loaded_at < ROUTING_TTL:
        return _routing
    from podpora.customers.models import Vendor

    mailboxes = list(Mailbox.objects.select_related("vendor", "team", "product"))
    vendors = {
        normalise_address(v.support_email): v
        for v in Vendor.objects.exclude(support_email="").order_by("-pk")
    }  # the oldest vendor wins a shared address
    own = {settings.DEFAULT_FROM_EMAIL, *(m.address for m in mailboxes), *vendors}
    _routing = _Routing(
        own_addresses=frozenset(normalise_address(a) for a in own if a and "@" in a),
        mailboxes={m.pk: m for m in mailboxes},
        by_address={normalise_address(m.address): m for m in mailboxes},
        vendors_by_address=vendors,
        loaded_at=clock,
    )
    return _routing
