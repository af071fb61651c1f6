"""The hotline page's look-up: the query string selects the caller, the JSON answer feeds the
type-ahead (``static/phone.js``); without JavaScript the look-up is a plain search form.

Query parameters: ``q`` (what the agent typed), ``number`` (the caller ID of a softphone or
CTI: ``/desk/phone/?number=+420602570507``), ``org``, ``contact``, ``licence`` (a picked
caller), ``version`` and ``type`` (what the entitlement is previewed for), ``onto`` (the open
ticket the call is for). Each id is checked against the agent's vendor.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from podpora.catalog.models import Version
from podpora.customers import phones
from podpora.customers.models import Contact, Licence, Organization
from podpora.tickets.models import TYPE_CHOICES

from . import lookup
from .views import staff_required

#: Which identifier matched, in words (the codes are never shown).
MATCHED = {
    "licence": _lazy("licenční číslo"),
    "ico": _lazy("IČO"),
    "company": _lazy("název společnosti"),
    "name": _lazy("jméno"),
    "email": _lazy("e-mail"),
    "phone": _lazy("telefon"),
}
_MAX_ID = 2**63 - 1


def _pk(value) -> int | None:
    """An id from the URL, or None (never an integer overflow in the database)."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 19 or int(value) > _MAX_ID:
        return None
    return int(value)


def _vendor_id(vendor) -> int | None:
    return vendor.pk if vendor is not None else None


def hit_view(hit: lookup.Hit, extra: dict | None = None) -> dict:
    """One match as the page and the JSON answer show it."""
    params = hit.params() | (extra or {})
    if hit.kind == "contact":
        title = hit.person
    elif hit.kind == "licence":
        title = f"{hit.licence} · {hit.product}"
    else:
        title = hit.organization
    detail = hit.organization if hit.kind != "organization" else ""
    if hit.ico:
        detail = f"{detail} (IČO {hit.ico})".strip()
    return {
        "title": title,
        "detail": detail,
        "matched": str(MATCHED[hit.matched]),
        "unconfirmed": not hit.confirmed,
        "url": f"{reverse('phone:new')}?{urlencode(params)}",
    }


def selection(request, vendor) -> dict:
    """The look-up's part of the page: matches, the picked caller's card, the form's initial."""
    vendor_id = _vendor_id(vendor)
    q = (request.GET.get("q") or "").strip()[:200]
    out: dict = {"q": q, "hits": [], "card": None, "initial": {}, "caller_number": ""}
    if q:
        out["hits"] = [hit_view(h) for h in lookup.find(vendor_id, q)]
    org_id = _pk(request.GET.get("org"))
    contact_id = _pk(request.GET.get("contact"))
    if request.GET.get("number"):
        number, hits = lookup.by_phone(vendor_id, request.GET["number"])
        out["caller_number"] = phones.display(number) or request.GET["number"][:40]
        out["caller_unknown"] = not hits
        if len(hits) == 1 and org_id is None:
            org_id, contact_id = hits[0].organization_id, hits[0].contact_id
        elif not q:
            out["hits"] = [hit_view(h) for h in hits]
    if org_id is None:
        return out
    orgs = Organization.objects.select_related("vendor").filter(pk=org_id)
    if vendor_id is not None:
        orgs = orgs.filter(vendor_id=vendor_id)
    org = orgs.first()
    if org is None:
        return out
    contact = (
        Contact.objects.filter(pk=contact_id, organization=org, is_active=True).first()
        if contact_id is not None
        else None
    )
    licence_id = _pk(request.GET.get("licence"))
    licence = (
        Licence.objects.select_related("product").filter(pk=licence_id, organization=org).first()
        if licence_id is not None
        else None
    )
    version_id = _pk(request.GET.get("version"))
    version = (
        Version.objects.select_related("product")
        .filter(pk=version_id, product__vendor_id=org.vendor_id)
        .first()
        if version_id is not None
        else None
    )
    ticket_type = request.GET.get("type") or "question"
    if ticket_type not in dict(TYPE_CHOICES):
        ticket_type = "question"
    card = lookup.caller(
        org, contact=contact, licence=licence, version=version, ticket_type=ticket_type
    )
    out["card"] = card
    out["selected"] = {
        "org": org.pk,
        "contact": contact.pk if contact else "",
        "licence": licence.pk if licence else "",
        "type": ticket_type,
    }
    out["type_choices"] = TYPE_CHOICES
    base = {k: v for k, v in out["selected"].items() if v != ""}
    if card.version is not None:
        base["version"] = card.version.pk
    out["open_tickets"] = [
        {"ticket": t, "url": f"{reverse('phone:new')}?{urlencode(base | {'onto': t.number})}"}
        for t in card.open_tickets
    ]
    initial = {"type": ticket_type}
    if licence is not None:
        initial["licence_number"] = licence.number
    elif org.ico:
        initial["ico"] = org.ico
    else:
        initial["company"] = org.name
    if contact is not None:
        initial |= {"first_name": contact.first_name, "last_name": contact.last_name}
    if card.version is not None:
        initial["version"] = card.version.name
    onto = (request.GET.get("onto") or "").strip()[:24]
    if onto and any(t.number == onto for t in card.open_tickets):
        initial["onto"] = onto
        out["onto"] = onto
    out["initial"] = initial
    return out


@staff_required
def lookup_json(request):
    """The type-ahead's answer: the matches for ``q``, each with the link that picks it."""
    vendor = request.user.vendor if request.user.vendor_id else None
    q = (request.GET.get("q") or "").strip()[:200]
    hits = [hit_view(h) for h in lookup.find(_vendor_id(vendor), q)]
    return JsonResponse(
        {
            "q": q,
            "hits": hits,
            "empty": _("Nikdo takový v evidenci není.") if q and not hits else "",
            "unconfirmed": _("neověřená osoba"),
        }
    )
