"""Who takes part in a vendor's forum: its customers' authorised persons and its staff."""

from __future__ import annotations

from podpora.accounts import access


def may_moderate(user, vendor) -> bool:
    return access.is_staff(user) and (user.is_superuser or user.vendor_id in (None, vendor.pk))


def may_take_part(user, vendor) -> bool:
    if may_moderate(user, vendor):
        return True
    contact = access.contact_of(user)
    return (
        contact is not None
        and contact.role != "end_user"
        and contact.organization.vendor_id == vendor.pk
    )
