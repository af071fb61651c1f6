"""Reads for the portal's downloads: the releases a person may see, with the rule's verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from podpora.accounts import access
from podpora.customers.models import Licence

from . import downloads
from .models import Release, ReleaseFile


@dataclass
class Listed:
    release: Release
    status: str  #: downloads.OK or "beyond_licence"
    params: dict = field(default_factory=dict)
    files: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == downloads.OK


def _terms(release: Release) -> downloads.ReleaseTerms:
    released = release.version.released_on
    if released is None and release.published_at is not None:
        released = timezone.localdate(release.published_at)
    return downloads.ReleaseTerms(release.product_id, released, release.published_at)


def _licences(contact) -> list[downloads.LicenceTerms]:
    rows = Licence.objects.filter(organization_id=contact.organization_id).values_list(
        "product_id", "max_version_date"
    )
    return [downloads.LicenceTerms(product_id, limit) for product_id, limit in rows]


def _staff_vendor(user):
    """None for a superuser or a staff member of no vendor (all vendors); else the vendor id."""
    return None if user.is_superuser else user.vendor_id


def verdict(user, release: Release, now: datetime) -> tuple[str, dict]:
    """What the rules say about this person and this release (staff: their vendor's, all)."""
    if access.is_staff(user):
        if not access.staff_of(user, release.product.vendor_id):
            return "no_licence", {}
        return downloads.OK, {}  # staff may fetch their vendor's files, published or not
    contact = access.contact_of(user)
    if contact is None:
        return "no_licence", {}
    return downloads.decide(_terms(release), _licences(contact), role=contact.role, now=now)


def listed_releases(user, now: datetime | None = None) -> list[Listed]:
    """Published releases the person may see (downloadable or locked), newest first per
    product; four queries whatever the number of releases and files."""
    now = now or timezone.now()
    releases = Release.objects.filter(published_at__lte=now).select_related("version", "product")
    files = Prefetch("files", queryset=ReleaseFile.objects.select_related("blob").order_by("pk"))
    if access.is_staff(user):
        vendor_id = _staff_vendor(user)
        if vendor_id is not None:
            releases = releases.filter(product__vendor_id=vendor_id)
        licences = None
    else:
        contact = access.contact_of(user)
        if contact is None or contact.role == "end_user":
            return []
        licences = _licences(contact)
        releases = releases.filter(product_id__in={lic.product_id for lic in licences})
    out = []
    for release in releases.prefetch_related(files).order_by("product__name", "-published_at"):
        if licences is None:
            status, params = downloads.OK, {}
        else:
            status, params = downloads.decide(_terms(release), licences, role=contact.role, now=now)
        if status in downloads.LISTED:
            out.append(Listed(release, status, params, list(release.files.all())))
    return out


def published_specialists(vendor, *, q: str = "", region: str = "", on=None):
    """The vendor's published specialists whose certificate is valid ``on`` (today)."""
    from django.db.models import Q

    from podpora.core.text import fold

    from .models import Specialist

    on = on or timezone.localdate()
    found = Specialist.objects.filter(vendor=vendor, published=True).filter(
        Q(certified_until__isnull=True) | Q(certified_until__gte=on)
    )
    for word in fold(q).split():
        found = found.filter(search_text__contains=word)
    if region:
        found = found.filter(region=region)
    return found.prefetch_related("products").order_by("region", "name")


def specialist_regions(vendor) -> list[str]:
    from .models import Specialist

    rows = Specialist.objects.filter(vendor=vendor, published=True).exclude(region="")
    return sorted(set(rows.values_list("region", flat=True)))
