"""Who takes part in a vendor's forum: its customers' authorised persons and its staff; who
moderates it: the staff the vendor named as moderators, or all its staff when it named none."""

from __future__ import annotations

from podpora.accounts import access


def is_staff_of(user, vendor) -> bool:
    return access.staff_of(user, vendor.pk)


def may_moderate(user, vendor) -> bool:
    if not is_staff_of(user, vendor):
        return False
    if user.is_superuser or user.vendor_id is None:
        return True  # the operator's people moderate every forum
    named = set(vendor.forum_moderators.values_list("pk", flat=True))
    return not named or user.pk in named


def may_take_part(user, vendor) -> bool:
    return is_staff_of(user, vendor) or access.customer_of(user, vendor.pk) is not None
