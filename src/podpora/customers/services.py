"""Entitlement of a ticket: rows are turned into facts, `entitlements.evaluate` decides."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from podpora.core import configcache
from podpora.core.language import NAMES

from . import entitlements as ent
from .models import Contract, Plan


def plan_terms(plan: Plan) -> ent.PlanTerms:
    return ent.PlanTerms(
        code=plan.name,
        kind=plan.kind,
        channels=frozenset(plan.channels),
        billable_channels=frozenset(plan.billable_channels),
        covered_types=frozenset(plan.covered_types),
        excluded_scopes=frozenset(plan.excluded_scopes),
        billable_scopes=frozenset(plan.billable_scopes),
        languages=frozenset(plan.languages),
        require_supported_version=plan.require_supported_version,
        require_identification=plan.require_identification,
        require_version_stated=plan.require_version_stated,
        serves_end_users=plan.serves_end_users,
        billing_mode=plan.billing_mode,
        hourly_rate=plan.hourly_rate,
    )


def contracts_valid_on(organization, on: date):
    return (
        Contract.objects.filter(organization=organization, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("plan__sla_policy__calendar", "sla_policy__calendar")
    )


def valid_contracts(organization, on: date) -> tuple[Contract, ...]:
    """``contracts_valid_on`` from the per-process cache (``core.configcache``): shared
    instances, with plan, SLA policy and calendar loaded; read them, never change them."""
    return configcache.cached(
        "customers.contracts",
        (organization.pk, on),
        lambda: tuple(contracts_valid_on(organization, on)),
    )


def fallback_plans(vendor) -> tuple[Plan | None, Plan | None, Plan | None]:
    """The vendor's START, warranty and public-form plans, with SLA policy and calendar, from
    the per-process cache (shared instances: read them, never change them)."""
    ids = (vendor.start_plan_id, vendor.warranty_plan_id, vendor.public_plan_id)
    if not any(ids):
        return None, None, None

    def load():
        plans = Plan.objects.select_related("sla_policy__calendar").in_bulk(
            [pk for pk in ids if pk]
        )
        return tuple(plans.get(pk) if pk else None for pk in ids)

    return configcache.cached("customers.fallback_plans", ids, load)


def prepaid_minutes_left(organization, on: date) -> int | None:
    from podpora.billing.selectors import package_balances

    balances = package_balances(organization, on)
    if not balances:
        return None
    return sum(left for _pkg, left in balances)


@dataclasses.dataclass(frozen=True)
class Asks:
    """What the vendor's plans ask of every requester."""

    identification: bool = False  #: the licensee and the person must identify themselves
    version: bool = False  #: the version in use must be stated


def vendor_asks(vendor) -> Asks:
    """Whether a plan of ``vendor`` requires identification or the version (cached)."""
    if vendor is None:
        return Asks()

    def load():
        plans = Plan.objects.filter(vendor_id=vendor.pk)
        return Asks(
            identification=plans.filter(require_identification=True).exists(),
            version=plans.filter(require_version_stated=True).exists(),
        )

    return configcache.cached("customers.vendor_asks", vendor.pk, load)


def requester_role(ticket) -> str:
    if ticket.contact is not None:
        return ticket.contact.role if ticket.contact.is_active else "end_user"
    org = ticket.organization
    if org is not None and org.stage == "prospect":
        return "prospect"
    licence = ticket.licence
    if org is not None and licence is not None and licence.organization_id == org.pk:
        return "authorised"  # the licence number identifies the licensee (ESTELAR)
    return "anonymous"


def licence_of(ticket):
    """The licence the request is judged by: the one on the ticket (its number was given), else
    the organisation's licence for the ticket's product (a portal, e-mail or API request of a
    customer in START names none), the most recently activated one."""
    if ticket.licence_id is not None or ticket.organization_id is None:
        return ticket.licence
    from .models import Licence

    licences = Licence.objects.filter(
        organization_id=ticket.organization_id, vendor_id=ticket.vendor_id
    )
    if ticket.product_id is not None:
        licences = licences.filter(product_id=ticket.product_id)
    return licences.order_by("-activated_on", "-pk").first()


def functions_in_implementation(organization) -> frozenset[str]:
    """The functions the organisation is implementing now (HR Plus serves these, on every
    channel but the public form)."""
    if organization is None:
        return frozenset()
    return frozenset(
        organization.implemented_functions.filter(active=True).values_list("name", flat=True)
    )


def request_facts(
    ticket, on: date, *, prepaid: bool = True, implementation: bool = True
) -> ent.RequestFacts:
    """The request as the rules see it; ``prepaid=False`` skips the package balances (a
    query) when no candidate plan draws on prepaid time, so they could not change the result;
    ``implementation=False`` skips the functions being implemented likewise.
    """
    function = ticket.implemented_function if ticket.implemented_function_id else None
    version = ticket.version
    requester = requester_role(ticket)
    return ent.RequestFacts(
        on=on,
        channel=ticket.channel,
        ticket_type=ticket.type,
        scope=ticket.scope or None,
        language=ticket.request_language or ticket.language or "cs",
        requester=requester,
        identified=ticket.contact is not None
        or bool(ticket.requester_name and ticket.organization),
        version_stated=version is not None,
        version_supported_until=version.supported_until if version is not None else None,
        prepaid_minutes_left=prepaid_minutes_left(ticket.organization, on)
        if ticket.organization and prepaid
        else None,
        scope_outcome=scope_outcome(ticket.vendor, ticket.scope, ticket.channel),
        licence_stated=ticket.licence_id is not None,
        function=function.name if function is not None and function.active else None,
        functions_in_implementation=functions_in_implementation(ticket.organization)
        if implementation and ticket.channel != "webform"
        else frozenset(),
        identification_asked=requester == "anonymous"
        and ticket.organization_id is None
        and vendor_asks(ticket.vendor).identification,
    )


def scope_item(vendor, code: str):
    """The vendor's scope item of that code, or None (one query, only for a request with a
    kind picked)."""
    if not code or vendor is None:
        return None
    from .models import ScopeItem

    return ScopeItem.objects.filter(vendor=vendor, code=code).first()


def scope_outcome(vendor, code: str, channel: str) -> str | None:
    """What the vendor's own scope item says on this channel: "rejected", "billable" or None."""
    item = scope_item(vendor, code)
    outcome = item.outcome_on(channel) if item is not None else "covered"
    return None if outcome == "covered" else outcome


def licence_facts(licence) -> ent.LicenceFacts | None:
    if licence is None:
        return None
    return ent.LicenceFacts(
        number=licence.number,
        activation_date=licence.activated_on,
        max_version_date=licence.max_version_date,
    )


def evaluate_ticket(ticket, on: date) -> tuple[ent.Entitlement, Plan | None]:
    """The decision and the plan that made it (a contract's, or START, warranty, public form)."""
    result, plan, _contracts = _evaluate(ticket, on)
    return result, plan


def _evaluate(ticket, on: date):
    contracts = list(valid_contracts(ticket.organization, on)) if ticket.organization else []
    facts = [
        ent.ContractFacts(
            id=c.pk, plan=plan_terms(c.plan), valid_from=c.valid_from, valid_to=c.valid_to
        )
        for c in contracts
    ]
    if ticket.organization is not None:
        from podpora.billing.subscriptions import subscription_contract_facts

        facts += subscription_contract_facts(ticket.organization, on, contracts)
    vendor = ticket.vendor
    rate = vendor.price_list_rate
    fallbacks = fallback_plans(vendor)
    start, warranty, public = (_terms(p) for p in fallbacks)
    plans = [f.plan for f in facts] + [t for t in (start, warranty, public) if t is not None]
    result = ent.evaluate(
        request_facts(
            ticket,
            on,
            prepaid=any(p.billing_mode in ent.PREPAID_MODES for p in plans),
            implementation=any(p.kind == "implementation" for p in plans),
        ),
        facts,
        price_list_rate=Decimal(rate) if rate is not None else None,
        start_plan=start,
        warranty_plan=warranty,
        public_plan=public,
        # START and the warranty come from a licence: only vendors that have them look one up
        licence=licence_facts(licence_of(ticket) if start or warranty else ticket.licence),
    )
    candidates = [c.plan for c in contracts] + list(fallbacks)
    by_name = {p.name: p for p in candidates if p is not None}
    return result, by_name.get(result.plan) if result.plan else None, contracts


def _terms(plan: Plan | None) -> ent.PlanTerms | None:
    return plan_terms(plan) if plan is not None else None


def describe(result: ent.Entitlement, vendor=None) -> str:
    """The reason in the user's language; the msgids live in entitlements.REASONS. A kind of
    request ({scope}) is named as the vendor calls it, in the user's language."""
    template = _(ent.REASONS.get(result.reason, result.message))
    params = dict(result.params)
    if "languages" in params:  # "cs, sk" -> "čeština, slovenština"
        codes = [c.strip() for c in params["languages"].split(",")]
        params["languages"] = ", ".join(_(NAMES[c]) if c in NAMES else c for c in codes)
    if params.get("scope"):
        item = scope_item(vendor, params["scope"])
        if item is not None:
            params["scope"] = item.label()
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def apply_entitlement(ticket, on: date) -> None:
    """Set the ticket's entitlement and contract; an agent's override stays until lifted."""
    if ticket.entitlement_overridden:
        return
    result, plan, contracts = _evaluate(ticket, on)
    ticket.plan = plan
    ticket.entitlement_status = str(result.status)
    ticket.entitlement_reason = result.reason
    ticket.entitlement_detail = describe(result, ticket.vendor)[:300]
    ticket.entitlement_params = dict(result.params)
    # the loaded contract (with its plan and SLA policy), so the SLA needs no query for it
    ticket.contract = next((c for c in contracts if c.pk == result.contract_id), None)
    ticket.contract_id = result.contract_id


def channel_calendars(vendor_id: int | None) -> dict:
    """{channel: BusinessCalendar} of the vendor's channels with their own hours, from the
    per-process cache (shared instances: read them, never change them)."""
    if vendor_id is None:
        return {}
    from .models import ChannelInfo

    def load():
        rows = ChannelInfo.objects.filter(vendor_id=vendor_id, calendar__isnull=False)
        return {row.channel: row.calendar for row in rows.select_related("calendar")}

    return configcache.cached("customers.channel_calendars", vendor_id, load)


def function_named_in(organization, text: str):
    """The function being implemented that a written request names (its name anywhere in
    the text, in any Czech ending, without regard to case or diacritics), or None; asked
    only of an organisation in implementation."""
    if organization is None or organization.stage != "implementation":
        return None
    from podpora.core.text import fold

    folded = fold(text)
    for function in organization.implemented_functions.filter(active=True).order_by("name"):
        name = fold(function.name).strip()
        stem = name[: max(3, len(name) - 2)]  # Czech endings: "Mzdy" in "mzdách"
        if stem and re.search(rf"(?<!\w){re.escape(stem)}", folded):
            return function
    return None
