"""The only writers of tickets. Portal, console, API, e-mail, phone form, scheduler and admin call these.

Each function runs in one transaction, validates before it writes, records an event for every
change and queues notifications after commit.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from podpora.core import storage
from podpora.core.days import day
from podpora.core.html import sanitize_html
from podpora.core.language import request_language
from podpora.core.text import fold
from podpora.search import index as search_index

from . import events, notify, rules
from .models import Article, Attachment, Ticket, TicketCounter, TicketLink
from .rules import State

_SCOPE_CODE = re.compile(r"[a-z][a-z0-9_]{0,29}")  # a vendor's kind of request (ScopeItem)


@dataclass
class IncomingFile:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""
    inline: bool = False


@dataclass
class NewTicket:
    vendor: object
    subject: str
    body: str
    channel: str
    type: str = rules.TicketType.QUESTION
    impact: int = 2
    urgency: int = 2
    organization: object | None = None
    contact: object | None = None
    requester_email: str = ""
    requester_name: str = ""
    sender_verified: bool = True
    product: object | None = None
    version: object | None = None
    licence: object | None = None
    implemented_function: object | None = None  # HR Plus: the function being implemented
    scope: str = ""
    language: str = "cs"
    #: the language the text is in ("": detected from subject and body, see core.language)
    request_language: str = ""
    cc: list[str] = field(default_factory=list)
    body_html: str = ""
    message_id: str = ""
    files: list[IncomingFile] = field(default_factory=list)
    duration_minutes: int | None = None
    notify: bool = True  # False for mail from machines: never answer an auto-reply
    team: object | None = None  # None: the vendor's first team
    quoted: str = ""  # the quoted history folded out of ``body``


def _actor_label(actor, contact=None, email: str = "") -> str:
    if actor is not None and getattr(actor, "pk", None):
        return actor.get_full_name() or actor.get_username()
    if contact is not None:
        return contact.full_name
    return email


def validate_new_ticket(data: NewTicket) -> None:
    """Check every reference before anything is written, so bad input stores nothing."""
    errors: dict[str, list[str]] = {}
    subject = (data.subject or "").strip()
    if not subject:
        errors.setdefault("subject", []).append(_("Vyplňte předmět požadavku."))
    if len(subject) > 250:
        errors.setdefault("subject", []).append(_("Předmět může mít nejvýše 250 znaků."))
    if data.channel not in {c.value for c in rules.Channel}:
        errors.setdefault("channel", []).append(_("Neznámý kanál."))
    if data.type not in {t.value for t in rules.TicketType}:
        errors.setdefault("type", []).append(_("Neznámý typ požadavku."))
    for name in ("impact", "urgency"):
        if getattr(data, name) not in (1, 2, 3):
            errors.setdefault(name, []).append(
                _("Hodnota musí být 1 (vysoká), 2 (střední) nebo 3 (nízká).")
            )
    if data.organization is not None and data.organization.vendor_id != data.vendor.pk:
        errors.setdefault("organization", []).append(_("Organizace nepatří tomuto dodavateli."))
    if data.contact is not None and data.organization is not None:
        if data.contact.organization_id != data.organization.pk:
            errors.setdefault("contact", []).append(_("Kontaktní osoba nepatří k této organizaci."))
    if data.product is not None and data.product.vendor_id != data.vendor.pk:
        errors.setdefault("product", []).append(_("Produkt nepatří tomuto dodavateli."))
    if data.team is not None and data.team.vendor_id != data.vendor.pk:
        errors.setdefault("team", []).append(_("Tým nepatří tomuto dodavateli."))
    if data.version is not None:
        if data.product is None or data.version.product_id != data.product.pk:
            errors.setdefault("version", []).append(
                _("Tato verze u zvoleného produktu neexistuje.")
            )
    if data.licence is not None and data.organization is not None:
        if data.licence.organization_id != data.organization.pk:
            errors.setdefault("licence", []).append(_("Licence nepatří k této organizaci."))
    function = data.implemented_function
    if function is not None and (
        data.organization is None or function.organization_id != data.organization.pk
    ):
        errors.setdefault("implemented_function", []).append(
            _("Tuto funkci neimplementuje organizace požadavku.")
        )
    if data.scope and not _SCOPE_CODE.fullmatch(data.scope):
        errors.setdefault("scope", []).append(_("Neznámý druh požadavku."))
    if errors:
        raise ValidationError(errors)


def _next_number(vendor) -> str:
    """The vendor's next ticket number: one atomic UPDATE ... RETURNING (SQLite >= 3.35,
    PostgreSQL), which also serialises concurrent creators on the counter row."""
    from django.db import connection

    table = connection.ops.quote_name(TicketCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last = last + 1 WHERE vendor_id = %s RETURNING last", [vendor.pk]
        )
        row = cursor.fetchone()
    if row is None:  # the vendor's first ticket
        counter, _created = TicketCounter.objects.select_for_update().get_or_create(vendor=vendor)
        counter.last += 1
        counter.save(update_fields=["last"])
        last = counter.last
    else:
        last = row[0]
    return f"{vendor.ticket_prefix}-{last:05d}"


def _search_text(ticket: Ticket, *extra: str) -> str:
    parts = [ticket.number, ticket.subject, ticket.requester_email, ticket.requester_name, *extra]
    return fold(" ".join(p for p in parts if p))[:20000]


def _store_files(article: Article, files: list[IncomingFile]) -> None:
    """Store the files, then point the article's ``cid:`` images at them."""
    attachments = [
        Attachment(
            article=article,
            blob=storage.store(f.content),
            filename=f.filename[:160] or "attachment",
            content_type=f.content_type or "application/octet-stream",
            size=len(f.content),
            content_id=f.content_id,
            inline=f.inline,
        )
        for f in files
    ]
    if not attachments:
        return
    Attachment.objects.bulk_create(attachments)
    if "cid:" in article.body_html.lower():
        cid_map = {
            a.content_id: f"/files/{article.ticket.number}/{a.pk}/"
            for a in attachments
            if a.content_id
        }
        if cid_map:
            article.body_html = sanitize_html(article.body_html, cid_map=cid_map)
            article.save(update_fields=["body_html"])


def _article_kind_for_channel(channel: str) -> str:
    return {
        rules.Channel.EMAIL: Article.Kind.EMAIL_IN,
        rules.Channel.PHONE: Article.Kind.PHONE,
        rules.Channel.WEBFORM: Article.Kind.WEBFORM,
        rules.Channel.FAX: Article.Kind.FAX,
        rules.Channel.POST: Article.Kind.POST,
    }.get(channel, Article.Kind.PORTAL)


def create_ticket(data: NewTicket, *, actor=None, now=None) -> Ticket:
    """Open a ticket with its first article. The opening article is ``ticket.opening_article``.

    Entitlement and SLA are decided before the one INSERT of the ticket; its history
    (created, entitlement, SLA targets) is written in one INSERT too."""
    validate_new_ticket(data)
    with _writing():
        return _create_ticket(data, actor, now or timezone.now())


def _writing():
    """The transaction of a service whose input is validated before it starts.

    Inside a caller's transaction (the e-mail ingest) it adds no savepoint, which costs two
    round trips on PostgreSQL: an error after validation is a bug or a database failure,
    and it makes the caller's whole transaction roll back, never commit half a change."""
    return transaction.atomic(savepoint=False)


def _create_ticket(data: NewTicket, actor, now) -> Ticket:
    from podpora.customers import services as customer_services
    from podpora.sla import services as sla_services

    with events.batched():
        ticket = Ticket(
            vendor=data.vendor,
            number=_next_number(data.vendor),
            subject=data.subject.strip(),
            type=data.type,
            channel=data.channel,
            impact=data.impact,
            urgency=data.urgency,
            priority=rules.priority_for(data.impact, data.urgency),
            organization=data.organization,
            contact=data.contact,
            requester_email=data.requester_email or (data.contact.email if data.contact else ""),
            requester_name=data.requester_name or (data.contact.full_name if data.contact else ""),
            sender_verified=data.sender_verified,
            cc=data.cc,
            product=data.product,
            version=data.version,
            licence=data.licence,
            implemented_function=data.implemented_function,
            scope=data.scope,
            language=data.language,
            request_language=data.request_language or _detected_language(data),
            team=data.team if data.team is not None else _default_team(data.vendor),
            public_token=secrets.token_urlsafe(24) if data.channel == rules.Channel.WEBFORM else "",
            created_at=now,
            updated_at=now,
        )
        ticket.search_text = _search_text(ticket, data.body)
        label = _actor_label(actor, data.contact, data.requester_email)
        channel = data.channel
        events.created_event(ticket, actor, channel, actor_label=label, at=now)
        customer_services.apply_entitlement(ticket, on=timezone.localdate(now))
        events.entitlement_event(
            ticket, None, channel, ticket.entitlement_status, ticket.entitlement_reason, at=now
        )
        sla_services.start_clocks(ticket, now)
        ticket.save(force_insert=True)
    from_customer = actor is None or not getattr(actor, "is_vendor_staff", False)
    article = Article.objects.create(
        ticket=ticket,
        kind=_article_kind_for_channel(channel),
        from_customer=from_customer,
        author=actor if actor is not None and actor.pk else None,
        author_contact=data.contact,
        sender=label,
        subject=ticket.subject,
        body=data.body,
        body_html=data.body_html,
        quoted=data.quoted,
        message_id=data.message_id,
        recipients=data.cc,
        duration_minutes=data.duration_minutes,
        created_at=now,
    )
    _store_files(article, data.files)
    search_index.ticket(ticket, body=data.body)
    ticket.opening_article = article
    if data.notify:
        notify.ticket_created(ticket.pk)
    return ticket


def _detected_language(data: NewTicket) -> str:
    """The language the request is written in, for a vendor with a plan that serves only some
    languages; for the others the customer's own (the detector's models cost ~300 MB of
    memory per process, loaded only where a plan needs them)."""
    if not languages_restricted(data.vendor.pk):
        return (data.language or "cs").split("-")[0].lower()
    return request_language(f"{data.subject}\n{data.body}", data.language)


def languages_restricted(vendor_id: int) -> bool:
    from podpora.core import configcache
    from podpora.customers.models import Plan

    def load() -> bool:
        return Plan.objects.filter(vendor_id=vendor_id).exclude(languages=[]).exists()

    return configcache.cached("languages_restricted", vendor_id, load)


def _default_team(vendor):
    return vendor.teams.order_by("pk").first()


def _locked(ticket: Ticket) -> Ticket:
    """The ticket's row, locked until the transaction ends and read again under the lock.

    Every writer below changes the row it gets from here, never the instance it was handed:
    that one may be stale (loaded by a page before another agent's change), and saving it
    would revert what was written meanwhile (a state, an assignee)."""
    return Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)


def _touch(ticket: Ticket, now) -> None:
    """Save the whole row of a ticket read by :func:`_locked` in this transaction: the SLA
    services change due columns beside the caller's fields."""
    ticket.updated_at = now
    ticket.save()
    search_index.ticket(ticket)  # its text, names and articles, in this transaction


def add_customer_message(
    ticket: Ticket,
    body: str,
    *,
    actor=None,
    contact=None,
    channel: str = rules.Channel.PORTAL,
    body_html: str = "",
    quoted: str = "",
    message_id: str = "",
    sender: str = "",
    files: list[IncomingFile] | None = None,
    cc: list[str] | None = None,
    now=None,
) -> Article:
    """The customer wrote (portal, e-mail): store it, and hand a waiting ticket back to the agents.

    ``cc``: addresses the customer added to the conversation (already checked to be their
    organisation's contacts); new ones join the ticket's copy list."""
    if not (body or "").strip() and not files:
        raise ValidationError({"body": [_("Zpráva nesmí být prázdná.")]})
    from podpora.sla import services as sla_services

    now = now or timezone.now()
    with _writing():  # validated above
        ticket = _locked(ticket)
        label = sender or _actor_label(actor, contact)
        added = [a for a in dict.fromkeys(cc or []) if a and a not in ticket.cc]
        if added:
            old_cc = list(ticket.cc)
            ticket.cc = [*ticket.cc, *added]
            events.field_changed_event(ticket, actor, channel, "cc", old_cc, ticket.cc, at=now)
        article = Article.objects.create(
            ticket=ticket,
            kind=Article.Kind.EMAIL_IN if channel == rules.Channel.EMAIL else Article.Kind.PORTAL,
            from_customer=True,
            author=actor if actor is not None and getattr(actor, "pk", None) else None,
            author_contact=contact,
            sender=label,
            subject=ticket.subject,
            body=body,
            body_html=body_html,
            quoted=quoted,
            message_id=message_id,
            created_at=now,
        )
        _store_files(article, files or [])
        events.message_event(
            ticket, actor, channel, article.pk, internal=False, actor_label=label, at=now
        )
        if ticket.waiting_for_data_since is not None and any(not f.inline for f in files or []):
            _data_received(ticket, actor, channel, now, actor_label=label)
        new_state = rules.state_after_customer_message(ticket.state)
        if new_state != ticket.state:
            _set_state(ticket, new_state, actor, channel, now, actor_label=label)
            sla_services.on_state_changed(ticket, now)
        ticket.search_text = fold(ticket.search_text + " " + body)[:20000]
        _touch(ticket, now)
        notify.customer_wrote(article.pk)
        return article


@transaction.atomic
def reply(
    ticket: Ticket,
    body: str,
    *,
    actor,
    new_state: str | None = None,
    channel: str = "console",
    files: list[IncomingFile] | None = None,
    kind: str = Article.Kind.EMAIL_OUT,
    now=None,
) -> Article:
    """An agent answers the customer; the first public answer stops the first-response clock."""
    from podpora.sla import services as sla_services

    now = now or timezone.now()
    ticket = _locked(ticket)
    if not (body or "").strip():
        raise ValidationError({"body": [_("Odpověď nesmí být prázdná.")]})
    target = rules.state_after_agent_reply(ticket.state, new_state)
    if target != ticket.state and not rules.can_transition(ticket.state, target):
        raise ValidationError({"state": [_("Z tohoto stavu nelze přejít do zvoleného stavu.")]})
    article = Article.objects.create(
        ticket=ticket,
        kind=kind,
        from_customer=False,
        author=actor,
        sender=_actor_label(actor) or ticket.vendor.name,
        subject=ticket.subject,
        body=body,
        recipients=[ticket.requester_email, *ticket.cc]
        if ticket.requester_email
        else list(ticket.cc),
        created_at=now,
    )
    _store_files(article, files or [])
    events.message_event(ticket, actor, channel, article.pk, internal=False, at=now)
    if ticket.first_responded_at is None:
        ticket.first_responded_at = now
        sla_services.first_response_done(ticket, now)
    if target != ticket.state:
        _set_state(ticket, target, actor, channel, now)
        sla_services.on_state_changed(ticket, now)
    _touch(ticket, now)
    notify.agent_replied(article.pk)
    return article


@transaction.atomic
def add_note(ticket: Ticket, body: str, *, actor, channel: str = "console", now=None) -> Article:
    now = now or timezone.now()
    if not (body or "").strip():
        raise ValidationError({"body": [_("Poznámka nesmí být prázdná.")]})
    ticket = _locked(ticket)
    article = Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.NOTE,
        internal=True,
        author=actor,
        sender=_actor_label(actor),
        body=body,
        created_at=now,
    )
    events.message_event(ticket, actor, channel, article.pk, internal=True, at=now)
    _touch(ticket, now)
    return article


@transaction.atomic
def record_call(
    ticket: Ticket, body: str, *, actor, duration_minutes: int | None = None, now=None
) -> Article:
    """A phone call with a customer counts as a public answer (the customer heard it)."""
    from podpora.sla import services as sla_services

    now = now or timezone.now()
    ticket = _locked(ticket)
    article = Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.PHONE,
        author=actor,
        sender=_actor_label(actor),
        body=body,
        duration_minutes=duration_minutes,
        created_at=now,
    )
    events.message_event(ticket, actor, rules.Channel.PHONE, article.pk, internal=False, at=now)
    if ticket.first_responded_at is None:
        ticket.first_responded_at = now
        sla_services.first_response_done(ticket, now)
    _touch(ticket, now)
    return article


@transaction.atomic
def override_entitlement(
    ticket: Ticket, *, status: str, note: str, actor, channel: str = "console", now=None
) -> Ticket:
    """An agent decides the entitlement by hand, with a reason; it stays until lifted."""
    if status not in {"covered", "billable", "rejected"}:
        raise ValidationError({"status": [_("Neznámý stav nároku.")]})
    if not (note or "").strip():
        raise ValidationError({"note": [_("Uveďte důvod změny nároku.")]})
    now = now or timezone.now()
    ticket = _locked(ticket)
    ticket.entitlement_status = status
    ticket.entitlement_reason = "override"
    ticket.entitlement_detail = note.strip()[:300]
    ticket.entitlement_params = {}
    ticket.entitlement_overridden = True
    events.entitlement_event(
        ticket, actor, channel, status, "override", overridden=True, note=note, at=now
    )
    _touch(ticket, now)
    return ticket


def _set_state(
    ticket: Ticket,
    target: str,
    actor,
    channel: str,
    now,
    actor_label: str = "",
    withdrawn: bool = False,
) -> None:
    old = ticket.state
    ticket.state = target
    if target == State.RESOLVED:
        ticket.resolved_at = now
    elif target == State.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    elif target in rules.OPEN_STATES:
        ticket.resolved_at = None
        ticket.closed_at = None
        ticket.withdrawn_at = None
    if withdrawn:
        ticket.withdrawn_at = now
    events.state_changed_event(
        ticket, actor, channel, old, target, actor_label=actor_label, at=now, withdrawn=withdrawn
    )
    if ticket.type == rules.TicketType.PROBLEM and target == State.RESOLVED and old != target:
        _problem_resolved(ticket, actor, channel, now)


def _customer_may_change(ticket: Ticket, actor) -> bool:
    from podpora.accounts.access import contact_of

    contact = contact_of(actor) if actor is not None else None
    if contact is None:
        return False
    return rules.customer_may_change(
        is_author=ticket.contact_id == contact.pk,
        is_customer_admin=contact.role == "customer_admin",
        same_organization=ticket.organization_id == contact.organization_id,
    )


@transaction.atomic
def change_state(
    ticket: Ticket,
    target: str,
    *,
    actor,
    channel: str = "console",
    as_customer: bool = False,
    now=None,
) -> Ticket:
    from podpora.sla import services as sla_services

    now = now or timezone.now()
    ticket = _locked(ticket)
    if target not in {s.value for s in State}:
        raise ValidationError({"state": [_("Neznámý stav.")]})
    if target == ticket.state:
        return ticket
    if as_customer and not _customer_may_change(ticket, actor):
        raise ValidationError(
            {
                "state": [
                    _(
                        "Požadavek může uzavřít nebo znovu otevřít jen jeho autor nebo správce zákazníka."
                    )
                ]
            }
        )
    allowed = (
        rules.customer_may_set(ticket.state, target)
        if as_customer
        else rules.can_transition(ticket.state, target)
    )
    if not allowed:
        raise ValidationError({"state": [_("Z tohoto stavu nelze přejít do zvoleného stavu.")]})
    withdrawn = as_customer and rules.withdraws(ticket.state, target)
    _set_state(ticket, target, actor, channel, now, withdrawn=withdrawn)
    sla_services.on_state_changed(ticket, now)
    _touch(ticket, now)
    notify.state_changed(ticket.pk)
    return ticket


@transaction.atomic
def set_priority(
    ticket: Ticket, *, impact: int, urgency: int, actor, channel="console", now=None
) -> Ticket:
    from podpora.sla import services as sla_services

    now = now or timezone.now()
    ticket = _locked(ticket)
    if impact not in (1, 2, 3) or urgency not in (1, 2, 3):
        raise ValidationError(
            {"impact": [_("Hodnota musí být 1 (vysoká), 2 (střední) nebo 3 (nízká).")]}
        )
    priority = _priority(ticket, impact, urgency, ticket.cause)
    old = ticket.priority
    ticket.impact, ticket.urgency, ticket.priority = impact, urgency, int(priority)
    events.priority_changed_event(
        ticket, actor, channel, old, int(priority), impact, urgency, at=now
    )
    if old != priority:
        sla_services.recompute(ticket, now)
    _touch(ticket, now)
    return ticket


def _priority(ticket: Ticket, impact: int, urgency: int, cause: str) -> rules.Priority:
    return rules.priority_for(
        impact,
        urgency,
        cause=cause,
        configuration_not_emergency=ticket.vendor.configuration_not_emergency,
    )


@transaction.atomic
def set_cause(ticket: Ticket, cause: str, *, actor, channel="console", now=None) -> Ticket:
    """Record what caused the fault; the priority follows when the vendor says a configuration
    fault is no emergency (and returns when the cause turns out otherwise)."""
    from podpora.sla import services as sla_services

    now = now or timezone.now()
    ticket = _locked(ticket)
    if cause not in rules.Cause._value2member_map_:
        raise ValidationError({"cause": [_("Neznámá příčina.")]})
    if cause == ticket.cause:
        return ticket
    old_cause, ticket.cause = ticket.cause, cause
    events._write(ticket, "cause_set", actor, channel, old=old_cause, new=cause, at=now)
    priority = _priority(ticket, ticket.impact, ticket.urgency, cause)
    old = ticket.priority
    if old != priority:
        ticket.priority = int(priority)
        events.priority_changed_event(
            ticket, actor, channel, old, int(priority), ticket.impact, ticket.urgency, at=now
        )
        sla_services.recompute(ticket, now)
    _touch(ticket, now)
    return ticket


@transaction.atomic
def assign_ticket(
    ticket: Ticket, *, assignee=None, team=None, actor, channel="console", now=None
) -> Ticket:
    now = now or timezone.now()
    ticket = _locked(ticket)
    if assignee is not None and not assignee.is_vendor_staff:
        raise ValidationError({"assignee": [_("Požadavek lze přidělit jen pracovníkovi podpory.")]})
    if team is not None and team.vendor_id != ticket.vendor_id:
        raise ValidationError({"team": [_("Tým nepatří tomuto dodavateli.")]})
    previous = ticket.assignee
    old = previous.get_username() if previous else None
    ticket.assignee = assignee
    if team is not None:
        ticket.team = team
    events.assigned_event(
        ticket,
        actor,
        channel,
        old,
        assignee.get_username() if assignee else None,
        ticket.team.name if ticket.team else None,
        at=now,
        old_label=(previous.get_full_name() or old) if previous else "",
        new_label=(assignee.get_full_name() or assignee.get_username()) if assignee else "",
    )
    _touch(ticket, now)
    notify.assigned(ticket.pk)
    return ticket


@transaction.atomic
def escalate_ticket(
    ticket: Ticket, *, actor=None, reason: str = "", channel="console", now=None
) -> Ticket:
    """Hand the ticket to the next solver level; the assignee is cleared for that level to pick up."""
    now = now or timezone.now()
    ticket = _locked(ticket)
    old = ticket.level
    ticket.level = old + 1
    ticket.assignee = None
    events.escalated_event(ticket, actor, channel, old, ticket.level, reason, at=now)
    _touch(ticket, now)
    return ticket


@transaction.atomic
def link_tickets(
    source: Ticket, target: Ticket, kind: str, *, actor, channel="console", now=None
) -> TicketLink:
    now = now or timezone.now()
    if source.pk == target.pk:
        raise ValidationError({"target": [_("Požadavek nelze propojit sám se sebou.")]})
    if source.vendor_id != target.vendor_id:
        raise ValidationError({"target": [_("Požadavky patří různým dodavatelům.")]})
    if kind not in TicketLink.Kind.values:
        raise ValidationError({"kind": [_("Neznámý druh vazby.")]})
    link, created = TicketLink.objects.get_or_create(source=source, target=target, kind=kind)
    if created:
        events.linked_event(source, actor, channel, kind, target.number, at=now)
        events.linked_event(target, actor, channel, f"{kind}_of", source.number, at=now)
    return link


@transaction.atomic
def merge_tickets(source: Ticket, into: Ticket, *, actor, channel="console", now=None) -> Ticket:
    """Move the source's communication into the target and close the source as a duplicate.

    Both rows are locked (in id order, so two merges never wait for each other); the source's
    customer is told by e-mail which request goes on, and mail answering the source is threaded
    onto the survivor (``mail.threading.follow_merges``)."""
    now = now or timezone.now()
    if source.pk == into.pk:
        raise ValidationError({"into": [_("Požadavek nelze sloučit sám se sebou.")]})
    if source.vendor_id != into.vendor_id:
        raise ValidationError({"into": [_("Požadavky patří různým dodavatelům.")]})
    if source.organization_id != into.organization_id:
        raise ValidationError({"into": [_("Sloučit lze jen požadavky téže organizace.")]})
    locked = {
        t.pk: t
        for t in Ticket.objects.select_for_update(of=("self",))
        .filter(pk__in=[source.pk, into.pk])
        .order_by("pk")
    }
    source, into = locked[source.pk], locked[into.pk]
    if source.merged_into_id is not None:
        raise ValidationError({"into": [_("Tento požadavek už byl sloučen.")]})
    if into.merged_into_id is not None:
        raise ValidationError({"into": [_("Do sloučeného požadavku nelze slučovat.")]})
    moved = list(Article.objects.filter(ticket=source).values_list("body", flat=True))
    Article.objects.filter(ticket=source).update(ticket=into)
    link_tickets(source, into, TicketLink.Kind.DUPLICATE, actor=actor, channel=channel, now=now)
    source.merged_into = into
    if source.state not in rules.DONE_STATES:
        _set_state(source, State.CLOSED, actor, channel, now)
    events.merged_event(source, actor, channel, into.number, at=now)
    _touch(source, now)
    into.search_text = fold(" ".join([into.search_text, source.number, *moved]))[:20000]
    into.cc = [*into.cc, *(a for a in source.cc if a not in into.cc)]
    _touch(into, now)
    notify.merged(source.pk)
    return source


def split_article(article: Article, *, actor, channel="console", now=None) -> Ticket:
    """A message that asks about something else becomes a request of its own: a new ticket of
    the same customer with the message's text and files (the files' blobs are shared), linked
    to the original as related. The original keeps its message."""
    now = now or timezone.now()
    ticket = article.ticket
    if article.internal or not article.from_customer:
        raise ValidationError({"article": [_("Oddělit lze jen zprávu zákazníka.")]})
    files = [
        IncomingFile(
            filename=a.filename,
            content_type=a.content_type,
            content=storage.read(a.blob_id),
            content_id=a.content_id,
            inline=a.inline,
        )
        for a in article.attachments.all()
    ]
    with transaction.atomic():
        _locked(ticket)
        new = create_ticket(
            NewTicket(
                vendor=ticket.vendor,
                subject=article.subject or ticket.subject,
                body=article.body,
                body_html=article.body_html,
                channel=ticket.channel,
                type=ticket.type,
                organization=ticket.organization,
                contact=article.author_contact or ticket.contact,
                requester_email=ticket.requester_email,
                requester_name=ticket.requester_name,
                product=ticket.product,
                version=ticket.version,
                licence=ticket.licence,
                language=ticket.language,
                team=ticket.team,
                files=files,
                notify=False,
            ),
            # the customer's message stays theirs; who split it is in the history
            actor=None if article.from_customer else actor,
            now=now,
        )
        link_tickets(new, ticket, TicketLink.Kind.RELATED, actor=actor, channel=channel, now=now)
        events._write(
            new, "split_from", actor, channel, customer_visible=False, other=ticket.number, at=now
        )
    return new


#: Types of request whose fault the supplier confirms by a test before fixing it.
CONFIRMABLE_TYPES = frozenset({"bug", "incident", "problem"})


@transaction.atomic
def confirm_bug(ticket: Ticket, note: str, *, actor, channel="console", now=None) -> Ticket:
    """The supplier reproduced the reported fault by a test (cloudempiere: a bug is fixed once
    the customer reported it officially and the supplier confirmed it by tests); the customer
    is told, in their language, with how it was reproduced."""
    now = now or timezone.now()
    ticket = _locked(ticket)
    if ticket.type not in CONFIRMABLE_TYPES:
        raise ValidationError({"note": [_("Testem se ověřuje jen nahlášená chyba nebo incident.")]})
    if ticket.bug_confirmed_at is not None:
        raise ValidationError({"note": [_("Chyba už je ověřena.")]})
    if not (note or "").strip():
        raise ValidationError({"note": [_("Popište, jak byla chyba ověřena.")]})
    Ticket.objects.filter(pk=ticket.pk).update(bug_confirmed_at=now)
    events._write(ticket, "bug_confirmed", actor, channel, note=note.strip()[:1000], at=now)
    with translation.override(ticket.language or "cs"):
        body = _("Chybu jsme ověřili testem a zařadili ji k opravě.") + "\n\n" + note.strip()
    reply(ticket, body, actor=actor, channel=channel, now=now)
    return Ticket.objects.get(pk=ticket.pk)


@transaction.atomic
def mark_fixed_in_release(ticket: Ticket, release, *, actor, channel="console", now=None) -> Ticket:
    """The confirmed fault is fixed in ``release``: the customer is told which version, and when
    it is (or is expected to be) out. A release already out resolves the request; a planned
    one leaves it waiting for the release, and the release job tells the customer when it is
    published."""
    from podpora.sla import services as sla_services

    now = now or timezone.now()
    ticket = _locked(ticket)
    if release.product_id != ticket.product_id:
        raise ValidationError({"release": [_("Vydání patří jinému produktu.")]})
    if ticket.bug_confirmed_at is None:
        raise ValidationError({"release": [_("Chybu nejdřív ověřte testem.")]})
    ticket.fixed_in_release = release
    events.fixed_in_release_event(ticket, actor, channel, str(release), at=now)
    sla_services.recompute(ticket, now)
    _touch(ticket, now)
    out = release.published_at is not None and release.published_at <= now
    with translation.override(ticket.language or "cs"):
        body = fix_message(release, out)
    target = State.RESOLVED if out else State.WAITING_RELEASE
    if ticket.state == target or not rules.can_transition(ticket.state, target):
        target = None
    reply(ticket, body, actor=actor, channel=channel, new_state=target, now=now)
    return Ticket.objects.get(pk=ticket.pk)


def fix_message(release, out: bool) -> str:
    """What the customer is told of a fix, in the active language."""
    version = release.version.name
    if out:
        return _(
            "Oprava je ve verzi %(version)s vydané %(date)s. Najdete ji v portálu v sekci "
            "Ke stažení."
        ) % {"version": version, "date": day(release.published_at)}
    if release.published_at is not None:
        return _(
            "Oprava bude ve verzi %(version)s, jejíž vydání očekáváme %(date)s. Až vyjde, "
            "dáme vám vědět."
        ) % {"version": version, "date": day(release.published_at)}
    return _("Oprava bude ve verzi %(version)s; datum jejího vydání vám oznámíme.") % {
        "version": version
    }


def announce_release(release, *, now=None) -> int:
    """Tell the customers waiting for a fix in ``release`` that it is out; their requests are
    resolved. Once per release (``announced_at``); returns how many were told."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            type(release)
            .objects.filter(pk=release.pk, announced_at__isnull=True, published_at__lte=now)
            .update(announced_at=now)
        )
        if not claimed:
            return 0
        waiting = list(Ticket.objects.filter(fixed_in_release=release, state=State.WAITING_RELEASE))
        for ticket in waiting:
            with translation.override(ticket.language or "cs"):
                body = fix_message(release, True)
            reply(ticket, body, actor=None, channel="system", new_state=State.RESOLVED, now=now)
        return len(waiting)


@transaction.atomic
def reclassify(
    ticket: Ticket, *, scope: str, ticket_type: str, actor, channel="console", now=None
) -> Ticket:
    """An agent says what kind of request this really is (the vendor's scope items, the type):
    the entitlement is decided again as on the day it came (unless overridden), the SLA
    follows, and the history records each change."""
    from podpora.customers import services as customer_services
    from podpora.customers.models import ScopeItem
    from podpora.sla import services as sla_services

    now = now or timezone.now()
    ticket = _locked(ticket)
    if ticket_type not in {t.value for t in rules.TicketType}:
        raise ValidationError({"type": [_("Neznámý typ požadavku.")]})
    if scope and not ScopeItem.objects.filter(vendor_id=ticket.vendor_id, code=scope).exists():
        raise ValidationError({"scope": [_("Neznámý druh požadavku.")]})
    if scope == ticket.scope and ticket_type == ticket.type:
        return ticket
    if scope != ticket.scope:
        events._write(
            ticket, "field_changed", actor, channel, field="scope", old=ticket.scope, new=scope,
            vendor_id=ticket.vendor_id, at=now,
        )  # fmt: skip
        ticket.scope = scope
    if ticket_type != ticket.type:
        events.field_changed_event(ticket, actor, channel, "type", ticket.type, ticket_type, at=now)
        ticket.type = ticket_type
    before = (ticket.entitlement_status, ticket.entitlement_reason, ticket.entitlement_detail)
    customer_services.apply_entitlement(ticket, on=timezone.localdate(ticket.created_at))
    after = (ticket.entitlement_status, ticket.entitlement_reason, ticket.entitlement_detail)
    if after != before:
        events.entitlement_event(
            ticket, actor, channel, ticket.entitlement_status, ticket.entitlement_reason, at=now
        )
    sla_services.recompute(ticket, now)
    _touch(ticket, now)
    return ticket


@transaction.atomic
def request_data(ticket: Ticket, body: str, *, actor, channel="console", now=None) -> Ticket:
    """Ask the customer for their company's data to analyse (Harmonik: when the phone did not
    solve it). The request waits for the data with its SLA paused; the analysis clock starts
    when they arrive (``mark_data_received``, or a customer message with files)."""
    now = now or timezone.now()
    if not (body or "").strip():
        raise ValidationError({"body": [_("Napište zákazníkovi, jaká data a jak má poslat.")]})
    ticket = _locked(ticket)
    if ticket.state in rules.DONE_STATES:
        raise ValidationError({"body": [_("Vyřešený nebo uzavřený požadavek nečeká na data.")]})
    reply(ticket, body, actor=actor, channel=channel, new_state=State.WAITING_CUSTOMER, now=now)
    Ticket.objects.filter(pk=ticket.pk).update(waiting_for_data_since=now)
    ticket = Ticket.objects.get(pk=ticket.pk)
    events._write(ticket, "data_requested", actor, channel, at=now)
    return ticket


@transaction.atomic
def mark_data_received(ticket: Ticket, *, actor, channel="console", now=None) -> Ticket:
    """The customer's data arrived (by post, on a medium, by a link): the request is worked on
    again and its resolution clock starts now."""
    now = now or timezone.now()
    ticket = _locked(ticket)
    if ticket.waiting_for_data_since is None:
        raise ValidationError({"state": [_("Požadavek na data zákazníka nečeká.")]})
    _data_received(ticket, actor, channel, now)
    _touch(ticket, now)
    return ticket


def _data_received(ticket: Ticket, actor, channel: str, now, actor_label: str = "") -> None:
    """Start the analysis clock: what ran before the data came no longer counts, nor the wait."""
    from podpora.sla import services as sla_services

    ticket.waiting_for_data_since = None
    ticket.analysis_started_at = now
    ticket.sla_paused_at = None
    ticket.sla_paused_seconds = 0
    events._write(ticket, "data_received", actor, channel, actor_label=actor_label, at=now)
    if ticket.state == State.WAITING_CUSTOMER:
        _set_state(ticket, State.OPEN, actor, channel, now, actor_label=actor_label)
    sla_services.recompute(ticket, now, reason="data_received")


@transaction.atomic
def record_remote_session(
    ticket: Ticket, body: str, *, connection_id: str, duration_minutes: int, actor, now=None
) -> Article:
    """A technician connected to the customer's computer (the ID the customer read out); the
    customer sees it in the request's communication."""
    now = now or timezone.now()
    ticket = _locked(ticket)
    with translation.override(ticket.language or "cs"):
        text = _("Vzdálené připojení (ID spojení %(id)s), %(minutes)s min.") % {
            "id": connection_id,
            "minutes": duration_minutes,
        }
    article = Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.REMOTE,
        author=actor,
        sender=_actor_label(actor),
        body=text + ("\n\n" + body.strip() if (body or "").strip() else ""),
        remote_session_id=connection_id,
        duration_minutes=duration_minutes,
        created_at=now,
    )
    events.message_event(ticket, actor, "remote", article.pk, internal=False, at=now)
    _touch(ticket, now)
    return article


#: What an agent may set on a ticket afterwards (InTouch: who asked, about what, which version).
FACTS = ("organization", "contact", "licence", "product", "version")
_UNSET = object()


def set_ticket_facts(
    ticket: Ticket,
    *,
    actor,
    channel: str = "console",
    now=None,
    organization=_UNSET,
    contact=_UNSET,
    licence=_UNSET,
    product=_UNSET,
    version=_UNSET,
) -> Ticket:
    """Set who asked (organisation, contact, licence) and about what (product, version) once
    the caller is identified; entitlement and SLA targets are decided again, and every change
    goes into the history. Arguments left out keep their value; ``None`` clears one."""
    given = {
        "organization": organization,
        "contact": contact,
        "licence": licence,
        "product": product,
        "version": version,
    }
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(ticket)
        values = {
            name: getattr(ticket, name) if value is _UNSET else value
            for name, value in given.items()
        }
        if values["version"] is not None and values["product"] is None:
            values["product"] = values["version"].product
        _validate_facts(ticket, values)
        changed = [name for name in FACTS if _pk(getattr(ticket, name)) != _pk(values[name])]
        if not changed:
            return ticket
        _apply_facts(ticket, values, changed, actor, channel, now)
        _touch(ticket, now)
    return ticket


def _pk(value):
    return None if value is None else value.pk


def _validate_facts(ticket: Ticket, values: dict) -> None:
    probe = NewTicket(
        vendor=ticket.vendor,
        subject=ticket.subject,
        body="",
        channel=ticket.channel,
        type=ticket.type,
        impact=ticket.impact,
        urgency=ticket.urgency,
        team=None,
        **values,
    )
    validate_new_ticket(probe)
    contact = values["contact"]
    if contact is not None and values["organization"] is None:
        raise ValidationError({"contact": [_("Kontaktní osoba nepatří k této organizaci.")]})
    licence = values["licence"]
    if licence is not None and licence.vendor_id != ticket.vendor_id:
        raise ValidationError({"licence": [_("Licence nepatří tomuto dodavateli.")]})


def _apply_facts(ticket: Ticket, values: dict, changed: list[str], actor, channel, now) -> None:
    from podpora.customers import services as customer_services
    from podpora.sla import services as sla_services

    for name in changed:
        old = getattr(ticket, name)
        setattr(ticket, name, values[name])
        events.field_changed_event(
            ticket,
            actor,
            channel,
            name,
            str(old) if old is not None else None,
            str(values[name]) if values[name] is not None else None,
            at=now,
        )
    if "contact" in changed and values["contact"] is not None:
        contact = values["contact"]
        ticket.requester_name = ticket.requester_name or contact.full_name
        ticket.requester_email = ticket.requester_email or contact.email
    before = (ticket.entitlement_status, ticket.entitlement_reason, ticket.contract_id)
    customer_services.apply_entitlement(ticket, on=timezone.localdate(ticket.created_at))
    after = (ticket.entitlement_status, ticket.entitlement_reason, ticket.contract_id)
    if after != before:
        events.entitlement_event(
            ticket, actor, channel, ticket.entitlement_status, ticket.entitlement_reason, at=now
        )
    sla_services.recompute(ticket, now)


# --- change requests: quote → decision → delivery (tickets/quotes.py) ---------------------


def _quote_text(quote) -> str:
    from podpora.tickets import history

    lines = [
        _("Nabídka č. %(n)s k požadavku %(number)s")
        % {"n": quote.number, "number": quote.ticket.number},
        "",
        quote.analysis.strip(),
        "",
        (
            _("Pevná cena za celou změnu; odhad práce %(hours)s h")
            if quote.fixed_price
            else _("Rozsah: %(hours)s h po %(rate)s/h")
        )
        % {
            "hours": history.amount(quote.hours).removesuffix(",00").removesuffix(".00"),
            "rate": history.money(quote.rate),
        },
        _("Cena: %(amount)s bez DPH") % {"amount": history.money(quote.amount)},
        _("Termín dodání: %(date)s") % {"date": history.when(quote.delivery_on)},
        "",
        _("Nabídku schválíte nebo odmítnete v portálu u tohoto požadavku."),
    ]
    return "\n".join(lines)


@transaction.atomic
def send_quote(
    ticket: Ticket,
    *,
    analysis: str,
    hours,
    delivery_on,
    actor,
    rate=None,
    fixed_amount=None,
    channel="console",
    now=None,
):
    """The analysis of a change request priced and sent to the customer, who then decides in
    the portal. ``rate``: the price list's (the plan's, else the vendor's) when not given;
    ``fixed_amount``: a fixed price for the whole change instead (``hours`` its estimate)."""
    from decimal import Decimal

    from podpora.billing.services import charge_for

    from . import quotes
    from .quotes import Quote

    now = now or timezone.now()
    ticket = _locked(ticket)
    errors: dict[str, list[str]] = {}
    if ticket.type != rules.TicketType.CHANGE:
        errors["analysis"] = [_("Nabídku lze poslat jen k požadavku na změnu.")]
    elif ticket.state in rules.DONE_STATES:
        errors["analysis"] = [_("Požadavek je už vyřízen.")]
    elif ticket.quotes.filter(state__in=[Quote.State.SENT, Quote.State.APPROVED]).exists():
        errors["analysis"] = [_("Požadavek už má platnou nabídku.")]
    if not (analysis or "").strip():
        errors["analysis"] = [_("Popište analýzu a rozsah prací.")]
    if not quotes.hours_valid(hours):
        errors["hours"] = [_("Zadejte počet hodin větší než nula, nejvýše na celé minuty.")]
    if delivery_on is None or delivery_on < timezone.localdate(now):
        errors["delivery_on"] = [_("Termín dodání nesmí být v minulosti.")]
    if fixed_amount is not None:
        fixed_amount = Decimal(fixed_amount)
        if not Decimal(0) < fixed_amount < Decimal("1e10"):
            errors["fixed_amount"] = [_("Zadejte pevnou cenu větší než nula.")]
    else:
        if rate is None:
            rate = charge_for(ticket).rate or ticket.vendor.price_list_rate
        if rate is None or Decimal(rate) <= 0:
            errors["rate"] = [_("Dodavatel nemá v ceníku hodinovou sazbu; zadejte ji.")]
    if errors:
        raise ValidationError(errors)
    if fixed_amount is not None:
        amount = fixed_amount.quantize(Decimal("0.01"))
        rate = quotes.fixed_rate(amount, hours)
    else:
        rate = Decimal(rate)
        amount = quotes.price(hours, rate)
    quote = Quote.objects.create(
        ticket=ticket,
        number=ticket.quotes.count() + 1,
        analysis=analysis.strip(),
        hours=hours,
        rate=rate,
        amount=amount,
        fixed_price=fixed_amount is not None,
        delivery_on=delivery_on,
        created_by=actor,
        created_at=now,
    )
    events._write(
        ticket,
        "quote_sent",
        actor,
        channel,
        quote=quote.number,
        hours=str(quote.hours),
        amount=str(quote.amount),
        delivery_on=delivery_on.isoformat(),
        at=now,
    )
    with translation.override(ticket.language or "cs"):
        body = _quote_text(quote)
    reply(ticket, body, actor=actor, new_state=State.WAITING_CUSTOMER, channel=channel, now=now)
    if ticket.assignee_id is None:  # whoever quoted hears of the customer's decision
        assign_ticket(ticket, assignee=actor, actor=actor, channel=channel, now=now)
    return quote


@transaction.atomic
def decide_quote(quote, *, approve: bool, contact, actor, note: str = "", now=None):
    """The customer's authorised person approves or refuses the quote in the portal; the
    agents are told by e-mail (the decision is a message of the customer's)."""
    from . import quotes
    from .quotes import Quote

    now = now or timezone.now()
    ticket = _locked(quote.ticket)
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.state != Quote.State.SENT:
        raise ValidationError({"quote": [_("O nabídce už bylo rozhodnuto.")]})
    if not quotes.may_decide(contact, ticket, admin_only=ticket.vendor.quotes_by_customer_admin):
        raise ValidationError(
            {
                "quote": [
                    _("Nabídku schvaluje správce zákazníka.")
                    if ticket.vendor.quotes_by_customer_admin
                    else _("Nabídku schvaluje oprávněná osoba zákazníka.")
                ]
            }
        )
    note = (note or "").strip()[:500]
    quote.state = Quote.State.APPROVED if approve else Quote.State.REFUSED
    quote.decided_by = contact
    quote.decided_at = now
    quote.decision_note = note
    quote.save()
    kind = "quote_approved" if approve else "quote_refused"
    label = _actor_label(actor, contact)
    events._write(
        ticket, kind, actor, "portal", quote=quote.number, note=note, actor_label=label, at=now
    )
    with translation.override(ticket.language or "cs"):
        if approve:
            body = _("Nabídku č. %(n)s schvaluji.") % {"n": quote.number}
        else:
            body = _("Nabídku č. %(n)s odmítám.") % {"n": quote.number}
    if note:
        body += "\n\n" + note
    add_customer_message(ticket, body, actor=actor, contact=contact, now=now)
    return quote


@transaction.atomic
def deliver_quote(quote, *, actor, note: str = "", channel="console", now=None):
    """The approved change is delivered: the customer is told and the request resolved, and
    the work is billed as quoted (one billable entry of the quoted hours at the quoted rate)."""
    from podpora.billing.services import bill_quote

    from .quotes import Quote

    now = now or timezone.now()
    ticket = _locked(quote.ticket)
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.state != Quote.State.APPROVED:
        raise ValidationError({"quote": [_("Dodat lze jen schválenou nabídku.")]})
    if ticket.state in rules.DONE_STATES:
        raise ValidationError({"quote": [_("Požadavek je už vyřízen.")]})
    entry = bill_quote(ticket, actor, quote, timezone.localdate(now))
    quote.state = Quote.State.DELIVERED
    quote.delivered_at = now
    quote.time_entry = entry
    quote.save()
    events._write(
        ticket,
        "quote_delivered",
        actor,
        channel,
        quote=quote.number,
        amount=str(quote.amount),
        at=now,
    )
    with translation.override(ticket.language or "cs"):
        body = _(
            "Změnu podle nabídky č. %(n)s jsme dodali. Fakturujeme ji podle nabídky: %(amount)s "
            "bez DPH."
        ) % {"n": quote.number, "amount": history_money(quote.amount)}
    if (note or "").strip():
        body += "\n\n" + note.strip()
    reply(ticket, body, actor=actor, new_state=State.RESOLVED, channel=channel, now=now)
    return quote


def history_money(value) -> str:
    from podpora.tickets import history

    return history.money(value)


# --- problems and their incidents (cloudempiere's types) ----------------------------------

#: what an incident may be caused by: a problem, never another incident
INCIDENT_TYPES = frozenset({rules.TicketType.INCIDENT, rules.TicketType.BUG})


def problem_of(ticket: Ticket) -> Ticket | None:
    link = (
        TicketLink.objects.filter(source=ticket, kind=TicketLink.Kind.CAUSED_BY)
        .select_related("target")
        .first()
    )
    return link.target if link else None


def incidents_of(problem: Ticket):
    return Ticket.objects.filter(
        links_out__target=problem, links_out__kind=TicketLink.Kind.CAUSED_BY
    ).select_related("organization")


@transaction.atomic
def link_to_problem(incident: Ticket, number: str, *, actor, channel="console", now=None):
    """The incident is caused by the problem numbered ``number`` (of the same vendor)."""
    number = (number or "").strip().upper()
    problem = Ticket.objects.filter(vendor_id=incident.vendor_id, number=number).first()
    if problem is None:
        raise ValidationError({"problem": [_("Problém s tímto číslem neexistuje.")]})
    if problem.type != rules.TicketType.PROBLEM:
        raise ValidationError(
            {"problem": [_("Požadavek %(number)s není problém.") % {"number": number}]}
        )
    if incident.type not in INCIDENT_TYPES:
        raise ValidationError({"problem": [_("S problémem se spojuje jen incident nebo chyba.")]})
    if problem_of(incident) is not None:
        raise ValidationError({"problem": [_("Incident už je spojen s problémem.")]})
    return link_tickets(
        incident, problem, TicketLink.Kind.CAUSED_BY, actor=actor, channel=channel, now=now
    )


@transaction.atomic
def set_root_cause(problem: Ticket, text: str, *, actor, channel="console", now=None) -> Ticket:
    now = now or timezone.now()
    problem = _locked(problem)
    if problem.type != rules.TicketType.PROBLEM:
        raise ValidationError({"root_cause": [_("Příčinu lze zapsat jen k problému.")]})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"root_cause": [_("Popište příčinu problému.")]})
    problem.root_cause = text[:5000]
    events._write(problem, "root_cause_set", actor, channel, at=now)
    _touch(problem, now)
    return problem


def _problem_resolved(problem: Ticket, actor, channel: str, now) -> None:
    """Each open incident the problem caused is resolved with a message to its customer, or
    its customer is only told (the vendor's setting); the problem's history lists them."""
    resolve = problem.vendor.problem_resolves_incidents
    told = []
    for incident in incidents_of(problem).exclude(state__in=list(rules.DONE_STATES)):
        with translation.override(incident.language or "cs"):
            body = _("Příčinu vašeho požadavku jsme odstranili: problém %(number)s je vyřešen.") % {
                "number": problem.number
            }
            if problem.root_cause:
                body += "\n\n" + _("Příčina: %(cause)s") % {"cause": problem.root_cause}
            if not resolve:
                body += "\n\n" + _(
                    "Potvrďte nám prosím, že potíže pominuly; požadavek pak uzavřeme."
                )
        reply(
            incident,
            body,
            actor=actor,
            new_state=State.RESOLVED if resolve else None,
            channel=channel,
            now=now,
        )
        events._write(
            incident,
            "problem_resolved",
            actor,
            channel,
            problem=problem.number,
            resolved=resolve,
            at=now,
        )
        told.append(incident.number)
    if told:
        events._write(
            problem,
            "incidents_told",
            actor,
            channel,
            customer_visible=False,
            incidents=told,
            resolved=resolve,
            at=now,
        )


@transaction.atomic
def set_team(ticket: Ticket, team, *, actor, channel="console", now=None) -> Ticket:
    """Hand the ticket to another team of its vendor, keeping its assignee."""
    now = now or timezone.now()
    ticket = _locked(ticket)
    if team is None or team.vendor_id != ticket.vendor_id:
        raise ValidationError({"team": [_("Tým nepatří tomuto dodavateli.")]})
    if team.pk == ticket.team_id:
        return ticket
    old = ticket.team.name if ticket.team else None
    ticket.team = team
    events.field_changed_event(ticket, actor, channel, "team", old, team.name, at=now)
    _touch(ticket, now)
    return ticket


@transaction.atomic
def follow_up_low_rating(ticket: Ticket, *, score: int, comment: str, now=None) -> Ticket:
    """A customer rated the resolution 1 or 2: an internal note with the rating for the
    team lead, and the ticket assigned to the lead (who is told), to look into it."""
    now = now or timezone.now()
    ticket = _locked(ticket)
    lead = ticket.team.lead if ticket.team_id and ticket.team.lead_id else None
    language = lead.language if lead is not None and lead.language else "cs"
    with translation.override(language):
        body = _(
            "Zákazník ohodnotil vyřešení známkou %(score)s z 5. Prověřte prosím, co se stalo, "
            "a ozvěte se mu."
        ) % {"score": score}
        if (comment or "").strip():
            body += "\n\n" + _("Komentář zákazníka: %(comment)s") % {"comment": comment.strip()}
    article = Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.NOTE,
        internal=True,
        author=None,
        sender="",
        body=body,
        created_at=now,
    )
    events.message_event(ticket, None, "portal", article.pk, internal=True, at=now)
    if lead is not None and lead.is_vendor_staff and ticket.assignee_id != lead.pk:
        previous = ticket.assignee
        old = previous.get_username() if previous else None
        ticket.assignee = lead
        events.assigned_event(
            ticket,
            None,
            "portal",
            old,
            lead.get_username(),
            ticket.team.name,
            at=now,
            old_label=(previous.get_full_name() or old) if previous else "",
            new_label=lead.get_full_name() or lead.get_username(),
        )
        notify.assigned(ticket.pk)
    _touch(ticket, now)
    return ticket
