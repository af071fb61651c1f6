"""Where inbound mail goes: our own addresses and the mailboxes, cached per process.

Read on every message, changed a few times a year: the rows are read once per configuration
version (``core.configcache``), so a mailbox, vendor, team or product changed anywhere, by
any process, is seen by the next message at the cost of one token query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from podpora.core import configcache

from .models import Mailbox
from .threading import normalise_address

_KIND = "mail.routing"


@dataclass(frozen=True)
class _Routing:
    """Shared by every message of the process: read it, never change it or its rows."""

    own_addresses: frozenset[str]
    mailboxes: dict[int, Mailbox]  # with vendor, team and product loaded
    by_address: dict[str, Mailbox]
    vendors_by_address: dict  # a vendor's support address (mail without a mailbox)


def forget_routing() -> None:
    """Drop this process's routing data; the next message reads it again."""
    configcache.forget(_KIND)


def routing_data() -> _Routing:
    # keyed by the sender address too: it is one of ours, and a setting, not a row
    sender = settings.DEFAULT_FROM_EMAIL
    return configcache.cached(_KIND, sender, lambda: _load(sender))


def _load(sender: str) -> _Routing:
    from podpora.customers.models import Vendor

    mailboxes = list(Mailbox.objects.select_related("vendor", "team", "product"))
    vendors = {
        normalise_address(v.support_email): v
        for v in Vendor.objects.exclude(support_email="").order_by("-pk")
    }  # the oldest vendor wins a shared address
    own = {sender, *(m.address for m in mailboxes), *vendors}
    return _Routing(
        own_addresses=frozenset(normalise_address(a) for a in own if a and "@" in a),
        mailboxes={m.pk: m for m in mailboxes},
        by_address={normalise_address(m.address): m for m in mailboxes},
        vendors_by_address=vendors,
    )
