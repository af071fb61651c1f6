"""'Smlouvy a služby': what an organisation's contracts give it and what is left of them.

Its contracts and plans (what they cover and do not, each channel with its hours and the
promised times in words), licences with HOTLINE START or support validity, prepaid packages
with the balance and what drew it, free phone minutes left this period, yearly subscriptions.
Customers of the organisation read it (not its end users); staff see it in the console.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from podpora.billing.models import Subscription, TimeEntry
from podpora.billing.selectors import free_calls_left, package_balances
from podpora.customers import entitlements as ent
from podpora.customers.channels import list_channels
from podpora.customers.models import Contract, Licence, ScopeItem
from podpora.sla import promise
from podpora.sla.models import SlaTarget
from podpora.tickets.models import CHANNEL_CHOICES, PRIORITY_CHOICES, TYPE_CHOICES

from . import views

#: the priority whose promise stands in the channel's sentence ("běžná" priority)
USUAL_PRIORITY = 3


def _targets(policy) -> list[dict]:
    if policy is None:
        return []
    names = dict(PRIORITY_CHOICES)
    types = dict(TYPE_CHOICES)
    rows = SlaTarget.objects.filter(policy=policy).order_by("priority", "ticket_type")
    return [
        {
            "priority": names.get(t.priority, t.priority),
            "type": types.get(t.ticket_type, "") if t.ticket_type else "",
            "priority_code": t.priority,
            "first_response": promise.within(t.first_response),
            "resolution": promise.within(t.resolution),
        }
        for t in rows
    ]


def _contract(contract, vendor_channels: dict, scope_names: dict) -> dict:
    plan = contract.plan
    policy = contract.effective_sla_policy()
    targets = _targets(policy)
    usual = next(
        (t for t in targets if t["priority_code"] == USUAL_PRIORITY and not t["type"]), None
    )
    channel_names = dict(CHANNEL_CHOICES)
    channels = []
    for code in plan.channels or []:
        info = vendor_channels.get(code, {})
        channels.append(
            {
                "code": code,
                "label": info.get("label") or channel_names.get(code, code),
                "contact": info.get("contact", ""),
                "hours": info.get("hours", ""),
                "billable": code in (plan.billable_channels or []),
                "promise": usual["first_response"] if usual else "",
            }
        )
    types = dict(TYPE_CHOICES)
    return {
        "contract": contract,
        "plan": plan,
        "channels": channels,
        "targets": targets,
        "covered_types": [types.get(t, t) for t in plan.covered_types or []],
        "excluded": [scope_names.get(s, s) for s in plan.excluded_scopes or []],
        "billable": [scope_names.get(s, s) for s in plan.billable_scopes or []],
    }


def _licences(organization, vendor) -> list[dict]:
    out = []
    for licence in Licence.objects.filter(organization=organization).select_related("product"):
        facts = ent.LicenceFacts(licence.number, licence.activated_on, licence.max_version_date)
        start_end = ent.start_end(facts) if vendor.start_plan_id else None
        out.append({"licence": licence, "start_end": start_end})
    return out


def contract_overview(organization, today: date) -> dict:
    """Everything the page shows, a bounded number of queries whatever the history."""
    vendor = organization.vendor
    contracts = list(
        Contract.objects.filter(organization=organization)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("plan", "sla_policy", "plan__sla_policy")
        .order_by("valid_from")
    )
    vendor_channels = {c["channel"]: c for c in list_channels(vendor)}
    scope_names = {s.code: s.label() for s in ScopeItem.objects.filter(vendor=vendor)}
    plans_with_calls = []
    for c in contracts:
        if c.valid_from <= today and c.plan.free_call_minutes is not None:
            left = free_calls_left(organization, c.plan, today)
            plans_with_calls.append(
                {
                    "plan": c.plan,
                    "left": left,
                    "of": c.plan.free_call_minutes,
                    "period": c.plan.get_free_call_period_display(),
                }
            )
    packages = package_balances(organization, today)
    drawn = (
        TimeEntry.objects.filter(package__in=[p for p, _left in packages])
        .select_related("ticket", "package")
        .order_by("-worked_on", "-pk")[:30]
    )
    subscriptions = (
        Subscription.objects.filter(organization=organization, year__gte=today.year)
        .select_related("service")
        .order_by("year", "service__name")
    )
    return {
        "organization": organization,
        "contracts": [_contract(c, vendor_channels, scope_names) for c in contracts],
        "licences": _licences(organization, vendor),
        "packages": [{"package": p, "left": left} for p, left in packages],
        "drawn": list(drawn),
        "free_calls": plans_with_calls,
        "subscriptions": list(subscriptions),
        "today": today,
    }


@login_required
def contract_page(request):
    contact = views._contact_or_404(request)
    if contact.role == "end_user":
        raise Http404("end users see no contract")
    data = contract_overview(contact.organization, timezone.localdate())
    return render(request, "portal/contract.html", data)
