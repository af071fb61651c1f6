"""Who may download a release: pure rules (stdlib only), read by the portal's downloads page.

A customer's authorised person downloads the releases of the products their organisation holds
a licence for, up to the licence's "max version date" (ESTELAR: the last version date the
licence covers; HOTLINE START ends on it). A release of a later version is listed, locked, so
the customer sees there is a newer one and why it is not theirs yet. InTouch: any version can be
updated to any newer one and nobody is forced to, so every covered release stays downloadable.

Decision order -- the first rule that applies decides:

1. not published yet (no date, or a date still to come)   -> ``not_published`` (not listed)
2. the person is an end user of the customer              -> ``end_user`` (HR Plus: no access)
3. no licence of the organisation for the product          -> ``no_licence`` (not listed)
4. a licence covers the version (no max version date, or the version was released on or
   before it; a version without a date counts from its release's publication)
                                                            -> ``ok``
5. otherwise                                                -> ``beyond_licence`` (listed, locked)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

OK = "ok"
LISTED = frozenset({"ok", "beyond_licence"})


@dataclass(frozen=True)
class LicenceTerms:
    product_id: int
    max_version_date: date | None = None


@dataclass(frozen=True)
class ReleaseTerms:
    product_id: int
    version_released_on: date | None
    published_at: datetime | None


def version_date(release: ReleaseTerms) -> date:
    """The date a licence's max version date is compared with (for a published release)."""
    if release.version_released_on is not None:
        return release.version_released_on
    return release.published_at.date()


def decide(
    release: ReleaseTerms, licences: Iterable[LicenceTerms], *, role: str, now: datetime
) -> tuple[str, dict[str, str]]:
    """The reason code for one person and one release, and the parameters of its message."""
    if release.published_at is None or release.published_at > now:
        return "not_published", {}
    if role == "end_user":
        return "end_user", {}
    own = [lic for lic in licences if lic.product_id == release.product_id]
    if not own:
        return "no_licence", {}
    released = version_date(release)
    limits = [lic.max_version_date for lic in own]
    if None in limits or any(released <= limit for limit in limits):
        return OK, {}
    latest = max(limit for limit in limits if limit is not None)
    return "beyond_licence", {"max_version_date": latest.isoformat()}
