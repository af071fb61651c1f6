"""Licence cards (ESTELAR): the one-time code for the first registration in the portal.

Only the code's hash is stored; the code itself is shown once, on the printable card, when
staff issue it (a new licence gets one; issuing again replaces the old code). Codes are read
without regard to case or spaces, as people copy them from a plastic card.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

#: no 0/O, 1/I/L: a code is typed from a printed card
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS, GROUP_LENGTH = 4, 4


def new_code() -> str:
    """E.g. ``K7QM-2XPA-9RTE-HB4N``: 80 bits of randomness."""
    groups = ("".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS))
    return "-".join(groups)


def normalise(code: str) -> str:
    return "".join((code or "").split()).upper()


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


@transaction.atomic
def issue_card(licence) -> str:
    """A new one-time code for the licence (the previous one stops working); returns the code,
    to be printed now: it is not stored."""
    code = new_code()
    licence.activation_code_hash = code_hash(code)
    licence.activation_code_used_at = None
    licence.save(update_fields=["activation_code_hash", "activation_code_used_at"])
    return code
