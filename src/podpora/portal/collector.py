"""HR Plus's access by customer state, in the portal: a customer whose plan opens only the
collector ("Dotaz do Centra podpory"; a one-time order) is sent there, with the hotline when
the plan sells phone consultations, instead of filing a request the portal would refuse."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from podpora.customers import services as customer_services
from podpora.tickets.models import Ticket


def portal_refused_for_collector(contact):
    """The probe's entitlement when a portal request of this person would be refused because
    their plan serves them through the collector (and perhaps the phone); else None."""
    org = contact.organization
    probe = Ticket(
        vendor=org.vendor,
        organization=org,
        contact=contact,
        channel="portal",
        type="question",
        language=contact.language or "cs",
    )
    today = timezone.localdate()
    result, plan = customer_services.evaluate_ticket(probe, today)
    if result.reason != "channel_not_in_plan" or plan is None:
        return None
    if "webform" not in plan.channels:
        return None
    return {"plan": plan, "phone": "phone" in plan.billable_channels}


def collector_page(request, contact, route):
    vendor = contact.organization.vendor
    return render(
        request,
        "portal/collector.html",
        {"contact": contact, "vendor": vendor, **route},
        status=200,
    )
