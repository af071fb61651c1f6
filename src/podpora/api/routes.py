"""REST API v1 (django-ninja): typed schemas, OpenAPI 3 at /api/v1/openapi.json.

Endpoints parse, check access through `accounts.access`, call one service or selector.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status
from ninja.security import HttpBearer

from podpora.accounts import access
from podpora.accounts.services import user_for_token
from podpora.catalog.models import Product, Version
from podpora.core import paging
from podpora.customers.models import Contact, ImplementedFunction, Organization, ScopeItem, Vendor
from podpora.tickets import history, selectors, services
from podpora.tickets.models import Ticket

#: the largest page of the ticket list
MAX_PAGE_SIZE = 200
#: how far the ticket list pages by number (past it by cursor)
MAX_PAGE_ROWS = paging.COUNT_LIMIT


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Podpora API",
    version="1",
    auth=BearerToken(),
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(
        request,
        {"detail": _("Chybí nebo je neplatný přístupový token (Authorization: Bearer …).")},
        status=401,
    )


@api.exception_handler(NinjaValidationError)
def _invalid_schema(request, exc):
    fields = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query")]
        fields.setdefault(".".join(loc) or "request", []).append(err.get("msg", ""))
    return api.create_response(
        request, {"detail": _("Neplatná data požadavku."), "fields": fields}, status=422
    )


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"request": exc.messages}
    return api.create_response(
        request, {"detail": _("Neplatná data požadavku."), "fields": fields}, status=422
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Nenalezeno.")}, status=404)


class ErrorOut(Schema):
    detail: str = Field(description="what went wrong, in the caller's language")


class InvalidOut(Schema):
    detail: str = Field(description="what went wrong, in the caller's language")
    fields: dict[str, list[str]] = Field(
        description="each invalid field (a dotted path, or `request`) with why"
    )


#: What every endpoint may answer besides its success: no token, a database that is down.
COMMON_ERRORS = {401: ErrorOut, 503: ErrorOut}


class EntitlementOut(Schema):
    status: str
    reason: str


class TicketOut(Schema):
    number: str
    subject: str
    type: str
    channel: str
    state: str
    priority: int
    impact: int
    urgency: int
    organization: str | None
    organization_ico: str | None
    contact: str | None
    product: str | None
    version: str | None
    scope: str | None = Field(description="the kind of request (a scope item's code)")
    created_at: datetime
    updated_at: datetime
    first_response_due: datetime | None
    resolution_due: datetime | None
    first_responded_at: datetime | None
    resolved_at: datetime | None
    withdrawn_at: datetime | None = Field(
        description="the customer closed it unresolved: its clocks count neither met nor breached"
    )
    sla_breached: bool
    entitlement: EntitlementOut

    @staticmethod
    def from_ticket(t: Ticket) -> dict:
        return {
            "number": t.number,
            "subject": t.subject,
            "type": t.type,
            "channel": t.channel,
            "state": t.state,
            "priority": t.priority,
            "impact": t.impact,
            "urgency": t.urgency,
            "organization": t.organization.name if t.organization else None,
            "organization_ico": t.organization.ico if t.organization else None,
            "contact": t.contact.full_name if t.contact else (t.requester_email or None),
            "product": t.product.code if t.product else None,
            "version": t.version.name if t.version else None,
            "scope": t.scope or None,
            "created_at": t.created_at,
            "updated_at": t.updated_at,
            "first_response_due": t.first_response_due,
            "resolution_due": t.resolution_due,
            "first_responded_at": t.first_responded_at,
            "resolved_at": t.resolved_at,
            "withdrawn_at": t.withdrawn_at,
            "sla_breached": t.sla_breached,
            "entitlement": {
                "status": t.entitlement_status,
                "reason": history.ticket_reason(t),
            },
        }


class TicketPage(Schema):
    count: int = Field(
        description=f"matching tickets, counted up to {paging.COUNT_LIMIT:,}".replace(",", " ")
    )
    count_exact: bool = Field(description="false when more tickets match than `count`")
    page: int | None = Field(description="the page number; null when paging by cursor")
    page_size: int
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null on the last page"
    )
    results: list[TicketOut]


class TicketFilters(Schema):
    state: str = ""
    organization: str = ""
    q: str = ""
    page: int = Field(1, description="1 … (first rows reachable by page) / page_size")
    page_size: int = Field(50, description="1 … 200")
    cursor: str = Field("", description="`next_cursor` of the previous page (instead of page)")


class TicketIn(Schema):
    subject: str
    body: str
    type: str = "question"
    impact: int = 2
    urgency: int = 2
    product: str | None = None
    version: str | None = None
    organization: str | None = None
    contact_email: str | None = None
    vendor: str | None = None
    language: str = "cs"
    scope: str = Field(
        "",
        description="the kind of request, a code of the vendor's scope items (as the portal's "
        "“Druh požadavku”); empty: ordinary support",
    )
    function: str | None = Field(
        None,
        description="in implementation: the name of the function being implemented the "
        "request is about",
    )


@api.get(
    "/tickets",
    response={200: TicketPage, 422: InvalidOut, **COMMON_ERRORS},
    summary="List tickets visible to the caller",
    description="Newest first. Page by `page` within the first "
    f"{MAX_PAGE_ROWS:,} tickets, or by `cursor` (`next_cursor` of the previous page) "
    "through all of them.".replace(",", " "),
)
def list_tickets(request, filters: Query[TicketFilters]):
    size, page, position = _paging(filters)
    qs = selectors.list_tickets(
        access.visible_tickets(request.user),
        state=filters.state,
        organization=filters.organization,
        q=filters.q,
    )
    total, more = paging.bounded_count(qs)
    if position is not None:
        rows = list(selectors.after(qs, position)[: size + 1])
    else:
        rows = list(qs[(page - 1) * size : page * size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = paging.encode_cursor(rows[-1].created_at, rows[-1].pk)
    return {
        "count": total,
        "count_exact": not more,
        "page": None if position is not None else page,
        "page_size": size,
        "next_cursor": next_cursor,
        "results": [TicketOut.from_ticket(t) for t in rows],
    }


def _paging(filters: TicketFilters):
    """Page size, page number and cursor position, each checked: a clear 422, never an
    offset or an integer the database cannot take."""
    errors = {}
    if not 1 <= filters.page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = [
            _("Velikost stránky musí být od 1 do %(max)s.") % {"max": MAX_PAGE_SIZE}
        ]
    size = min(max(filters.page_size, 1), MAX_PAGE_SIZE)
    last = max(1, MAX_PAGE_ROWS // size)
    if not 1 <= filters.page <= last:
        errors["page"] = [
            _(
                "Strana musí být od 1 do %(last)s (po stranách se listuje jen prvními "
                "%(rows)s požadavky); dál pokračujte parametrem cursor (next_cursor)."
            )
            % {
                "last": number_format(last, force_grouping=True),
                "rows": number_format(MAX_PAGE_ROWS, force_grouping=True),
            }
        ]
    position = None
    if filters.cursor:
        position = paging.decode_cursor(filters.cursor)
        if position is None:
            errors["cursor"] = [_("Neplatný kurzor; použijte next_cursor z předchozí stránky.")]
    if errors:
        raise ValidationError(errors)
    return size, filters.page, position


@api.get(
    "/tickets/{number}",
    response={200: TicketOut, 404: ErrorOut, **COMMON_ERRORS},
    summary="One ticket",
    description="404 also for a ticket the caller may not see.",
)
def get_ticket(request, number: str):
    return TicketOut.from_ticket(access.get_ticket(request.user, number))


def _resolve_new_ticket(user, body: TicketIn) -> services.NewTicket:
    contact = access.contact_of(user)
    if contact is not None:
        organization = contact.organization
        vendor = organization.vendor
    elif access.is_staff(user):
        vendor = _vendor_for_staff(user, body.vendor)
        organization = _organization(vendor, body.organization)
        contact = None
        if body.contact_email and organization is not None:
            contact = Contact.objects.filter(
                organization=organization, email__iexact=body.contact_email
            ).first()
            if contact is None:
                raise ValidationError(
                    {"contact_email": [_("Kontaktní osoba s tímto e-mailem neexistuje.")]}
                )
    else:
        raise HttpError(403, _("Tento účet nemůže zakládat požadavky."))
    if not access.may_file(contact):
        raise HttpError(403, access.end_user_refusal(contact))
    product = version = None
    if body.product:
        product = Product.objects.filter(vendor=vendor, code=body.product).first()
        if product is None:
            raise ValidationError(
                {"product": [_("Produkt „%(code)s“ neexistuje.") % {"code": body.product}]}
            )
    if body.version:
        version = (
            Version.objects.filter(product=product, name=body.version).first() if product else None
        )
        if version is None:
            raise ValidationError({"version": [_("Tato verze u zvoleného produktu neexistuje.")]})
    scope = (body.scope or "").strip()
    if scope and not ScopeItem.objects.filter(vendor=vendor, code=scope).exists():
        raise ValidationError(
            {"scope": [_("Druh požadavku „%(code)s“ dodavatel nezná.") % {"code": scope}]}
        )
    function = None
    if body.function:
        function = (
            ImplementedFunction.objects.filter(
                organization=organization, name__iexact=body.function.strip(), active=True
            ).first()
            if organization is not None
            else None
        )
        if function is None:
            raise ValidationError({"function": [_("Organizace tuto funkci neimplementuje.")]})
    return services.NewTicket(
        vendor=vendor,
        subject=body.subject,
        body=body.body,
        scope=scope,
        implemented_function=function,
        channel="api",
        type=body.type,
        impact=body.impact,
        urgency=body.urgency,
        organization=organization,
        contact=contact,
        product=product,
        version=version,
        language=body.language,
    )


def _vendor_for_staff(user, slug: str | None) -> Vendor:
    if user.vendor_id:
        return user.vendor
    vendor = Vendor.objects.filter(slug=slug).first() if slug else None
    if vendor is None:
        raise ValidationError({"vendor": [_("Uveďte dodavatele (vendor).")]})
    return vendor


def _organization(vendor, ref: str | None):
    if not ref:
        return None
    qs = Organization.objects.filter(vendor=vendor)
    org = qs.filter(ico=ref).first() or (qs.filter(pk=int(ref)).first() if ref.isdigit() else None)
    if org is None:
        raise ValidationError({"organization": [_("Organizace neexistuje.")]})
    return org


@api.post(
    "/tickets",
    response={201: TicketOut, 400: ErrorOut, 403: ErrorOut, 422: InvalidOut, **COMMON_ERRORS},
    summary="File a ticket",
    description="400: the body is not JSON; 403: this account may not file requests "
    "(staff without a vendor, a customer's end user); 422: an invalid or missing field.",
)
def create_ticket(request, payload: TicketIn):
    data = _resolve_new_ticket(request.user, payload)
    ticket = services.create_ticket(data, actor=request.user)
    ticket = Ticket.objects.select_related(*selectors.LIST_RELATED).get(pk=ticket.pk)
    return Status(201, TicketOut.from_ticket(ticket))
