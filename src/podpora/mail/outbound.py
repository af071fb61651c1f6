"""Outbound notifications: rendered in the recipient's language, recorded, sent over SMTP.

Every message carries our Message-ID (recorded for threading), `Auto-Submitted:
auto-generated` (so well-behaved auto-responders stay quiet) and a reply marker line.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from podpora.core.greeting import salutation
from podpora.tickets.models import Article, Ticket

from .models import OutboundMessage

log = logging.getLogger(__name__)

REPLY_MARKER = {
    "cs": "##- Pište prosím nad tuto čáru -##",
    "sk": "##- Píšte prosím nad túto čiaru -##",
    "en": "##- Please type your reply above this line -##",
}


def new_message_id() -> str:
    return f"podpora.{secrets.token_hex(12)}@{settings.MESSAGE_ID_DOMAIN}"


def ticket_tag(ticket: Ticket) -> str:
    return f"[#{ticket.number}]"


def _customer_recipient(ticket: Ticket) -> tuple[list[str], str, str, str]:
    contact = ticket.contact
    if contact is not None and contact.email:
        return [contact.email], contact.language, contact.first_name, contact.last_name
    if ticket.requester_email:
        return [ticket.requester_email], ticket.language, "", ""
    return [], ticket.language, "", ""


def _references(ticket: Ticket) -> list[str]:
    ids = list(
        Article.objects.filter(ticket=ticket)
        .exclude(message_id="")
        .values_list("message_id", flat=True)
    )
    ids += list(
        OutboundMessage.objects.filter(ticket=ticket).values_list("message_id", flat=True)[:20]
    )
    return ids[-20:]


def send_notification(kind: str, object_id: int) -> OutboundMessage | None:
    handler = HANDLERS.get(kind)
    if handler is None:
        log.warning("unknown notification kind %s", kind)
        return None
    return handler(object_id)


def _compose(
    ticket: Ticket, kind: str, to: list[str], language: str, context: dict, cc=()
) -> OutboundMessage | None:
    if not to:
        return None
    language = language if language in REPLY_MARKER else "cs"
    with translation.override(language):
        ctx = {
            "ticket": ticket,
            "marker": REPLY_MARKER[language],
            "portal_url": f"{settings.BASE_URL}/portal/tickets/{ticket.number}/",
            **context,
        }
        subject = render_to_string(f"mail/{kind}.subject.txt", ctx).strip()
        subject = f"{subject} {ticket_tag(ticket)}"
        text = render_to_string(f"mail/{kind}.txt", ctx)
        html = render_to_string("mail/base.html", {**ctx, "text": text})
    message_id = new_message_id()
    record = OutboundMessage.objects.create(
        ticket=ticket,
        article=context.get("article"),
        kind=kind,
        recipients=[*to, *cc],
        subject=subject[:300],
        message_id=message_id,
    )
    refs = _references(ticket)
    headers = {
        "Message-ID": f"<{message_id}>",
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "X-Podpora-Ticket": ticket.number,
    }
    if refs:
        headers["References"] = " ".join(f"<{r}>" for r in refs)
        headers["In-Reply-To"] = f"<{refs[-1]}>"
    msg = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, to, cc=list(cc), headers=headers
    )
    msg.attach_alternative(html, "text/html")
    deliver(record, msg)
    return record


def deliver(record: OutboundMessage, msg: EmailMultiAlternatives, attempts: int = 3) -> None:
    """Send with a few quick retries; the failure is recorded, never raised to the caller."""
    for _attempt in range(attempts):
        record.attempts += 1
        try:
            msg.send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - SMTP raises many kinds; all are recorded
            record.error = f"{type(exc).__name__}: {exc}"[:2000]
            continue
        record.status = OutboundMessage.Status.SENT
        record.sent_at = timezone.now()
        record.error = ""
        break
    else:
        record.status = OutboundMessage.Status.FAILED
        log.error("could not send %s: %s", record.message_id, record.error)
    record.save()


def _ticket_created(ticket_id: int):
    ticket = Ticket.objects.select_related("contact").get(pk=ticket_id)
    if ticket.channel == "phone":
        return None
    to, lang, first, last = _customer_recipient(ticket)
    return _compose(
        ticket,
        "ticket_created",
        to,
        lang,
        {"greeting": _greet(first, last, lang)},
    )


def _greet(first: str, last: str, lang: str) -> str:
    with translation.override(lang):
        return salutation(first, last, lang)


def _agent_replied(article_id: int):
    article = Article.objects.select_related("ticket", "ticket__contact").get(pk=article_id)
    ticket = article.ticket
    to, lang, first, last = _customer_recipient(ticket)
    cc = [c for c in ticket.cc if c not in to]
    return _compose(
        ticket,
        "agent_replied",
        to,
        lang,
        {"article": article, "greeting": _greet(first, last, lang)},
        cc=cc,
    )


def _customer_wrote(article_id: int):
    article = Article.objects.select_related("ticket", "ticket__assignee").get(pk=article_id)
    ticket = article.ticket
    if ticket.assignee is None or not ticket.assignee.email:
        return None
    return _compose(
        ticket,
        "customer_wrote",
        [ticket.assignee.email],
        ticket.assignee.language,
        {"article": article},
    )


def _state_changed(ticket_id: int):
    ticket = Ticket.objects.select_related("contact").get(pk=ticket_id)
    to, lang, first, last = _customer_recipient(ticket)
    return _compose(ticket, "state_changed", to, lang, {"greeting": _greet(first, last, lang)})


def _assigned(ticket_id: int):
    ticket = Ticket.objects.select_related("assignee").get(pk=ticket_id)
    if ticket.assignee is None or not ticket.assignee.email:
        return None
    return _compose(ticket, "assigned", [ticket.assignee.email], ticket.assignee.language, {})


def _sla_alert(ticket_id: int):
    ticket = Ticket.objects.select_related("assignee", "team__lead").get(pk=ticket_id)
    to = []
    if ticket.assignee is not None and ticket.assignee.email:
        to.append(ticket.assignee.email)
    if ticket.team is not None and ticket.team.lead is not None and ticket.team.lead.email:
        to.append(ticket.team.lead.email)
    return _compose(ticket, "sla_alert", sorted(set(to)), "cs", {})


HANDLERS = {
    "ticket_created": _ticket_created,
    "agent_replied": _agent_replied,
    "customer_wrote": _customer_wrote,
    "state_changed": _state_changed,
    "assigned": _assigned,
    "sla_alert": _sla_alert,
}
