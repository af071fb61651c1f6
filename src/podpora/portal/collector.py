"""HR Plus's access by customer state, in the portal: a customer whose plan opens only the
collector ("Dotaz do Centra podpory"; a one-time order) is sent there, with the hotline when
the plan sells phone consultations, instead of filing a request the portal would refuse."""

from __future__ import annotations

from django.shortcuts import render

from podpora.customers.collector import collector_route


def portal_refused_for_collector(contact):
    """The collector's plan when a portal request of this person would be refused because
    their plan serves them through the collector (and perhaps the phone); else None."""
    org = contact.organization
    return collector_route(org.vendor, org, contact, "portal")


def collector_page(request, contact, route):
    vendor = contact.organization.vendor
    return render(
        request,
        "portal/collector.html",
        {"contact": contact, "vendor": vendor, **route},
        status=200,
    )
