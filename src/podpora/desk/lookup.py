"""The hotline's look-up: who is calling, found while they speak, and what they may have.

``find`` takes what the agent types (a licence number, an IČO, a company's or a person's
name, an e-mail address or a phone number; diacritics and case ignored) and answers the
matching licences, organisations and people of the agent's vendor, in a constant number of
queries whatever the number of matches:

- licences: one query on the index of ``(vendor, UPPER(number))``, from the number's beginning;
- organisations: the vendor's organisations with their folded names and IČO come from the
  configuration cache (``core/configcache.py``: one cheap query tells whether they changed);
  a name matches when every typed word begins a word of it, an IČO by its beginning;
- people: one query on the folded name (``Contact.name_key`` " jana novakova ": each typed
  word must begin a word), the e-mail (index on ``LOWER(email)``) or the phone number in
  E.164 (``Contact.phone_key``, indexed).

``caller`` then shows what the agent needs before anything is saved: the organisation, its
contracts and licences, the entitlement for the chosen product and version as the entitlement
engine decides it for a call (an unsaved ticket: nothing is written), the version's support,
the prepaid balance, the free phone minutes left in the period and the open tickets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.db.models.functions import Lower, Upper
from django.utils import timezone

from podpora.core import configcache
from podpora.customers import phones
from podpora.customers.identify import company_key, ico_valid, query_words
from podpora.customers.models import Contact, Contract, Licence, Organization

#: Matches of each kind shown at most (the agent types on until the caller is among them).
LIMIT = 8
#: The look-up starts from this many typed characters.
MIN_CHARS = 2
#: Open tickets of the organisation shown on the caller's card.
OPEN_TICKETS = 10


@dataclass(frozen=True)
class Hit:
    """One match: a licence, an organisation or a person, each pointing at an organisation."""

    kind: str  #: "licence", "organization", "contact"
    matched: str  #: which identifier matched: "licence", "ico", "company", "name", "email", "phone"
    organization_id: int
    organization: str
    ico: str = ""
    contact_id: int | None = None
    person: str = ""
    confirmed: bool = True
    licence_id: int | None = None
    licence: str = ""
    product: str = ""
    exact: bool = False

    def params(self) -> dict[str, int]:
        """The page's query parameters that select this caller."""
        out = {"org": self.organization_id}
        if self.contact_id is not None:
            out["contact"] = self.contact_id
        if self.licence_id is not None:
            out["licence"] = self.licence_id
        return out


def _organizations(vendor_id: int | None) -> tuple[tuple[int, str, str, str, int], ...]:
    """(id, name, IČO, folded name without legal form, vendor id) of the vendor's
    organisations (every vendor's for a superuser), from the configuration cache."""

    def load():
        rows = Organization.objects.order_by("name", "pk")
        if vendor_id is not None:
            rows = rows.filter(vendor_id=vendor_id)
        return tuple(
            (pk, name, ico, f" {company_key(name)} ", vendor)
            for pk, name, ico, vendor in rows.values_list("pk", "name", "ico", "vendor_id")
        )

    return configcache.cached("desk.lookup.organizations", vendor_id, load)


def _words_begin(key: str, words: list[str]) -> bool:
    return all(f" {w}" in key for w in words)


def find(vendor_id: int | None, text: str, *, limit: int = LIMIT) -> list[Hit]:
    """What ``text`` identifies among the vendor's customers (``vendor_id`` None: every
    vendor's), exact matches first."""
    text = (text or "").strip()[:200]
    if len(text) < MIN_CHARS:
        return []
    words = query_words(text)
    digits = phones.digits(text)
    only_digits = bool(digits) and not any(c.isalpha() for c in text)
    hits: list[Hit] = []
    hits += _licences(vendor_id, text, limit)
    # "Pekárna Horák s.r.o." is the company "pekarna horak": the legal form is no word of it
    company_words = company_key(text).split() or words
    hits += _organizations_matching(vendor_id, company_words, digits if only_digits else "", limit)
    hits += _contacts(vendor_id, text, words, digits if only_digits else "", limit)
    hits.sort(key=lambda h: (not h.exact, h.kind != "licence", h.organization, h.person))
    return hits


def _licences(vendor_id, text: str, limit: int) -> list[Hit]:
    number = text.replace(" ", "").upper()
    if len(number) < MIN_CHARS or not any(c.isdigit() for c in number):
        return []
    rows = Licence.objects.alias(upper=Upper("number")).filter(upper__startswith=number)
    if vendor_id is not None:
        rows = rows.filter(vendor_id=vendor_id)
    rows = rows.select_related("organization", "product").order_by("number")[:limit]
    return [
        Hit(
            kind="licence",
            matched="licence",
            organization_id=lic.organization_id,
            organization=lic.organization.name,
            ico=lic.organization.ico,
            licence_id=lic.pk,
            licence=lic.number,
            product=lic.product.name,
            exact=lic.number.upper() == number,
        )
        for lic in rows
    ]


def _organizations_matching(vendor_id, words: list[str], digits: str, limit: int) -> list[Hit]:
    hits = []
    for pk, name, ico, key, _vendor in _organizations(vendor_id):
        if digits and len(digits) >= 3 and ico.startswith(digits):
            matched, exact = "ico", ico == digits
        elif words and not digits and _words_begin(key, words):
            matched, exact = "company", key.strip() == " ".join(words)
        else:
            continue
        hits.append(
            Hit(
                kind="organization",
                matched=matched,
                organization_id=pk,
                organization=name,
                ico=ico,
                exact=exact,
            )
        )
        if len(hits) == limit:
            break
    return hits


def _contacts(vendor_id, text: str, words: list[str], digits: str, limit: int) -> list[Hit]:
    wanted = Q()
    email = text.lower()
    if "@" in text or (len(words) == 1 and "." in text and " " not in text):
        wanted |= Q(email_lower__startswith=email)
    number = phones.normalize(text) if digits else ""
    if number:
        wanted |= Q(phone_key=number)
    elif digits and len(digits) >= 4 and not ico_valid(digits):
        wanted |= Q(phone_key__contains=digits)
    if words and not digits and "@" not in text:
        by_name = Q()
        for word in words[:4]:
            by_name &= Q(name_key__contains=f" {word}")
        wanted |= by_name
    if not wanted:
        return []
    rows = (
        Contact.objects.alias(email_lower=Lower("email"))
        .filter(wanted, is_active=True)
        .select_related("organization")
    )
    if vendor_id is not None:
        rows = rows.filter(organization__vendor_id=vendor_id)
    rows = rows.order_by("last_name", "first_name", "pk")[:limit]
    hits = []
    for c in rows:
        if number and c.phone_key == number:
            matched, exact = "phone", True
        elif "@" in text and c.email.lower().startswith(email):
            matched, exact = "email", c.email.lower() == email
        else:
            matched, exact = "name", c.name_key.strip() == " ".join(words)
        hits.append(
            Hit(
                kind="contact",
                matched=matched,
                organization_id=c.organization_id,
                organization=c.organization.name,
                ico=c.organization.ico,
                contact_id=c.pk,
                person=c.full_name,
                confirmed=c.confirmed,
                exact=exact,
            )
        )
    return hits


def by_phone(vendor_id: int | None, raw: str) -> tuple[str, list[Hit]]:
    """The caller ID's number in E.164 and the people with that number (one query)."""
    number = phones.normalize(raw)
    if not number:
        return "", []
    return number, _contacts(vendor_id, raw, [], phones.digits(raw), LIMIT)


# --- the caller's card -------------------------------------------------------------------


@dataclass
class Caller:
    """What the hotline shows of a caller before the call is registered."""

    organization: Organization
    contact: Contact | None = None
    licence: Licence | None = None  #: only when the caller gave its number
    contracts: list[dict] = field(default_factory=list)
    licences: list[Licence] = field(default_factory=list)
    versions: list = field(default_factory=list)  #: (product, [versions]) the caller may use
    product: object = None
    version: object = None
    version_support: dict | None = None
    entitlement: dict | None = None
    balances: list[dict] = field(default_factory=list)
    free_calls: dict | None = None
    open_tickets: list = field(default_factory=list)


def caller(
    organization: Organization,
    *,
    contact: Contact | None = None,
    licence: Licence | None = None,
    version=None,
    ticket_type: str = "question",
    scope: str = "",
    on: date | None = None,
) -> Caller:
    """The caller's card: nothing is written (the entitlement is the engine's answer for an
    unsaved ticket as the phone form would file it)."""
    from podpora.billing.selectors import free_calls_left, package_balances
    from podpora.catalog.models import Version
    from podpora.tickets.models import Ticket
    from podpora.tickets.rules import OPEN_STATES

    on = on or timezone.localdate()
    card = Caller(organization=organization, contact=contact, licence=licence)
    contracts = Contract.objects.filter(organization=organization).select_related("plan")
    for c in contracts.order_by("-valid_from", "-pk"):
        if c.valid_from > on:
            state = "future"
        elif c.valid_to is not None and c.valid_to < on:
            state = "ended"
        else:
            state = "valid"
        card.contracts.append({"contract": c, "state": state})
    card.licences = list(
        organization.licences.select_related("product").order_by("product__name", "number")
    )
    products = {lic.product_id: lic.product for lic in card.licences}
    if licence is not None:
        products = {licence.product_id: licence.product}
    if not products:
        products = {p.pk: p for p in organization.vendor.products.all()}
    by_product: dict[int, list] = {pk: [] for pk in products}
    for v in Version.objects.filter(product_id__in=products).order_by("-released_on", "-pk"):
        by_product[v.product_id].append(v)
    card.versions = [(products[pk], by_product[pk]) for pk in products]
    if version is not None and version.product_id not in products:
        version = None
    card.version = version
    card.product = (
        version.product
        if version is not None
        else (licence.product if licence is not None else None)
    )
    if version is not None:
        until = version.supported_until
        card.version_support = {
            "until": until,
            "ended": until is not None and until < on,
        }
    card.entitlement = preview(
        organization, contact, licence, card.product, version, ticket_type, scope, on
    )
    card.balances = [
        {"package": p, "left": left, "low": left < p.low_balance_minutes}
        for p, left in package_balances(organization, on)
    ]
    plan = card.entitlement["plan"]
    left = free_calls_left(organization, plan, on) if plan is not None else None
    if left is not None:
        card.free_calls = {
            "left": left,
            "of": plan.free_call_minutes,
            "period": plan.get_free_call_period_display(),
        }
    card.open_tickets = list(
        Ticket.objects.filter(organization=organization, state__in=OPEN_STATES)
        .select_related("contact")
        .order_by("-created_at", "-id")[:OPEN_TICKETS]
    )
    return card


def preview(organization, contact, licence, product, version, ticket_type, scope, on) -> dict:
    """The entitlement engine's answer for the call as it would be registered now."""
    from podpora.customers import services as customer_services
    from podpora.tickets.models import Ticket

    language = contact.language if contact is not None else organization.language
    probe = Ticket(
        vendor=organization.vendor,
        organization=organization,
        contact=contact,
        licence=licence,
        product=product,
        version=version,
        channel="phone",
        type=ticket_type or "question",
        scope=scope or "",
        language=language,
        request_language=language,
        requester_name=contact.full_name if contact is not None else "",
    )
    result, plan = customer_services.evaluate_ticket(probe, on)
    return {
        "status": str(result.status),
        "reason": customer_services.describe(result, organization.vendor),
        "plan": plan,
        "code": result.reason,
    }
