"""Who takes part in a vendor's forum: its customers' authorised persons and its staff."""

from __future__ import annotations

from podpora.accounts import access


def may_moderate(user, vendor) -> bool:
    return access.staff_of(user, vendor.pk)


def may_take_part(user, vendor) -> bool:
    return may_moderate(user, vendor) or access.customer_of(user, vendor.pk) is not None
