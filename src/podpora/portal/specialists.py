"""The public list of a vendor's certified specialists (InTouch publishes one)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from podpora.catalog import selectors
from podpora.customers.models import Vendor


def specialist_list(request, vendor):
    vendor = get_object_or_404(Vendor, slug=vendor)
    q = request.GET.get("q", "").strip()[:100]
    regions = selectors.specialist_regions(vendor)
    region = request.GET.get("region", "")
    region = region if region in regions else ""
    return render(
        request,
        "portal/specialists.html",
        {
            "vendor": vendor,
            "specialists": selectors.published_specialists(vendor, q=q, region=region),
            "regions": regions,
            "q": q,
            "region": region,
        },
    )
