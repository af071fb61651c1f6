"""Outbound notifications: rendered in the recipient's language, recorded, sent over SMTP.

Every message carries our Message-ID (recorded for threading), `Auto-Submitted:
auto-generated` (so well-behaved auto-responders stay quiet) and a reply marker line.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from podpora.core import storage
from podpora.core.greeting import opens_with_greeting, salutation
from podpora.core.mailtext import render_text
from podpora.tickets.models import Article, Ticket

from .models import OutboundMessage
from .quoting import REPLY_MARKERS, marker_line

log = logging.getLogger(__name__)


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


def ticket_url(ticket: Ticket) -> str:
    """Where the customer reads the ticket: a web-form author (no account) has the private
    page of the ticket's token, anyone else the portal's page (after logging in)."""
    if ticket.public_token:
        return f"{settings.BASE_URL}{reverse('portal:public', args=[ticket.public_token])}"
    return f"{settings.BASE_URL}/portal/tickets/{ticket.number}/"


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
    language = language if language in REPLY_MARKERS else "cs"
    subject, text, html = _render(
        kind,
        language,
        {
            "ticket": ticket,
            "marker": marker_line(language),
            "portal_url": ticket_url(ticket),
            **context,
        },
    )
    headers = {"X-Podpora-Ticket": ticket.number}
    refs = _references(ticket)
    if refs:
        headers["References"] = " ".join(f"<{r}>" for r in refs)
        headers["In-Reply-To"] = f"<{refs[-1]}>"
    return _send(
        kind,
        f"{subject} {ticket_tag(ticket)}",
        text,
        html,
        sender=settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=list(cc),
        headers=headers,
        ticket=ticket,
        article=context.get("article"),
    )


def send_unknown_sender_answer(
    vendor_id: int, to: str, sender: str, subject: str, in_reply_to: str | None
) -> OutboundMessage:
    """Point an unknown sender to the portal and the public form (an answer to their mail)."""
    from podpora.customers.models import Vendor

    vendor = Vendor.objects.get(pk=vendor_id)
    language = (vendor.languages or ["cs"])[0]
    subject_line, text, html = _render(
        "unknown_sender",
        language if language in REPLY_MARKERS else "cs",
        {
            "vendor": vendor,
            "address": to,
            "original_subject": subject,
            "portal_url": f"{settings.BASE_URL}/portal/",
            "form_url": f"{settings.BASE_URL}/dotaz/{vendor.slug}/",
        },
    )
    return _auto_reply("unknown_sender", subject_line, text, html, sender, to, in_reply_to)


def _auto_reply(
    kind: str, subject: str, text: str, html: str, sender: str, to: str, in_reply_to: str | None
) -> OutboundMessage | None:
    """An automatic answer to a message that filed nothing, threaded onto it."""
    headers = {}
    if in_reply_to:
        headers["In-Reply-To"] = f"<{in_reply_to}>"
        headers["References"] = f"<{in_reply_to}>"
    return _send(
        kind,
        subject,
        text,
        html,
        sender=sender,
        to=[to],
        headers=headers,
        auto_submitted="auto-replied",
    )


def send_end_user_answer(
    contact_id: int, to: str, sender: str, subject: str, in_reply_to: str | None
) -> OutboundMessage | None:
    """An end user wrote: only authorised persons file requests; name them."""
    from podpora.accounts.access import authorised_people
    from podpora.customers.models import Contact

    contact = Contact.objects.select_related("organization__vendor").filter(pk=contact_id).first()
    if contact is None:
        return None
    language = contact.language if contact.language in REPLY_MARKERS else "cs"
    org = contact.organization
    subject_line, text, html = _render(
        "end_user",
        language,
        {
            "greeting": _greet(contact.first_name, contact.last_name, language),
            "vendor": org.vendor,
            "organization": org,
            "people": authorised_people(org),
            "original_subject": subject,
        },
    )
    return _auto_reply("end_user", subject_line, text, html, sender, to, in_reply_to)


def send_invitation(contact_id: int) -> OutboundMessage | None:
    """The invitation to the portal: a link to set the first password (as a reset link)."""
    from podpora.accounts.password import set_password_url
    from podpora.customers.models import Contact

    contact = (
        Contact.objects.select_related("user", "organization__vendor")
        .filter(pk=contact_id, is_active=True, user__is_active=True)
        .first()
    )
    if contact is None or not contact.email:
        return None
    return _to_person(
        "invitation",
        contact.email,
        contact.language,
        contact.first_name,
        contact.last_name,
        {
            "vendor": contact.organization.vendor,
            "organization": contact.organization,
            "url": set_password_url(contact.user),
            "username": contact.user.username,
        },
    )


def send_staff_invitation(user_id: int) -> OutboundMessage | None:
    """A new staff member's invitation: a link to set the first password."""
    from podpora.accounts.models import User
    from podpora.accounts.password import set_password_url

    user = User.objects.select_related("vendor").filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or user.vendor is None:
        return None
    with translation.override(user.language if user.language in REPLY_MARKERS else "cs"):
        role = str(user.get_role_display())
    return _to_person(
        "staff_invitation",
        user.email,
        user.language,
        user.first_name,
        user.last_name,
        {
            "vendor": user.vendor,
            "role": role,
            "url": set_password_url(user),
            "username": user.username,
        },
    )


def send_password_reset(email: str, language: str) -> list[OutboundMessage]:
    """A link to set a new password, to each active account with this address (none: nothing
    is sent, and the person who asked was told the same as when there is one). Also for an
    invited person who never set a password: their invitation link ran out."""
    from podpora.accounts.models import User
    from podpora.accounts.password import set_password_url

    users = User.objects.filter(email__iexact=email, is_active=True).select_related("contact")
    sent = []
    for user in users:
        if not user.email or user.email.lower() != email.lower():
            continue
        contact = getattr(user, "contact", None)
        person = contact if contact is not None else user
        sent.append(
            _to_person(
                "password_reset",
                user.email,
                (contact.language if contact else user.language) or language,
                person.first_name,
                person.last_name,
                {"url": set_password_url(user), "username": user.username},
            )
        )
    return sent


def send_forum_post(post_id: int) -> list[OutboundMessage]:
    """A new forum post, to each who wrote in its topic, in their language."""
    from podpora.forum.models import Post
    from podpora.forum.services import participants

    post = Post.objects.select_related("topic__vendor").filter(pk=post_id, hidden=False).first()
    if post is None:
        return []
    topic = post.topic
    url = f"{settings.BASE_URL}/forum/{topic.vendor.slug}/{topic.pk}/#post-{post.pk}"
    sent = []
    for user in participants(post):
        contact = getattr(user, "contact", None)
        person = contact if contact is not None else user
        sent.append(
            _to_person(
                "forum_post",
                user.email,
                (contact.language if contact else user.language) or "cs",
                person.first_name,
                person.last_name,
                {"post": post, "topic": topic, "vendor": topic.vendor, "url": url},
            )
        )
    return sent


def send_news(article_id: int, contact_id: int) -> OutboundMessage | None:
    """One news article to one customer who takes news by e-mail (checked again here: they may
    have stopped since it was queued)."""
    from podpora.customers.models import Contact
    from podpora.kb.models import Article

    article = Article.objects.select_related("vendor").get(pk=article_id)
    contact = Contact.objects.filter(pk=contact_id, news_by_email=True, is_active=True).first()
    if contact is None or not contact.email:
        return None
    vendor = article.vendor
    return _to_person(
        "news",
        contact.email,
        contact.language,
        contact.first_name,
        contact.last_name,
        {
            "article": article,
            "vendor": vendor,
            "article_url": f"{settings.BASE_URL}/kb/{vendor.slug}/{article.language}/{article.slug}/",
            "settings_url": f"{settings.BASE_URL}/kb/{vendor.slug}/",
        },
        headers={"List-Unsubscribe": f"<{settings.BASE_URL}/kb/{vendor.slug}/>"},
    )


def _to_person(
    kind: str, email: str, language: str, first: str, last: str, context: dict, headers=None
) -> OutboundMessage:
    """``mail/<kind>`` to one person, greeted by name, in their language (else Czech)."""
    language = language if language in REPLY_MARKERS else "cs"
    subject, text, html = _render(
        kind, language, {**context, "greeting": _greet(first, last, language)}
    )
    return _send(
        kind,
        subject,
        text,
        html,
        sender=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers=headers or {},
    )


def send_to_group(
    kind: str,
    to: list[str],
    language: str,
    context: dict,
    *,
    attachments: list[tuple[str, bytes, str]] | tuple = (),
) -> OutboundMessage | None:
    """``mail/<kind>`` to people who read one language, through the durable outbound queue
    (recorded, retried while the server is down); ``context`` has their ``greeting``."""
    if not to:
        return None
    language = language if language in REPLY_MARKERS else "cs"
    subject, text, html = _render(kind, language, context)
    return _send(
        kind,
        subject,
        text,
        html,
        sender=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers={},
        attachments=attachments,
    )


def send_composed(
    kind: str,
    to: list[str],
    subject: str,
    text: str,
    *,
    attachments: list[tuple[str, bytes, str]] | tuple = (),
) -> OutboundMessage:
    """A message whose text the caller wrote in the reader's language, through the durable
    outbound queue like every other (recorded, retried while the server is down)."""
    html = render_to_string("mail/base.html", {"text": escape(text)})
    return _send(
        kind,
        subject,
        text,
        html,
        sender=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers={},
        attachments=attachments,
    )


def _render(kind: str, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of ``mail/<kind>.*`` in ``language``."""
    with translation.override(language):
        subject = " ".join(render_text(f"mail/{kind}.subject.txt", context).split())
        text = render_text(f"mail/{kind}.txt", context)
        html = render_to_string("mail/base.html", {**context, "text": escape(text)})
    return subject, text, html


def _send(
    kind: str,
    subject: str,
    text: str,
    html: str,
    *,
    sender: str,
    to: list[str],
    cc: list[str] | tuple[str, ...] = (),
    headers: dict,
    ticket: Ticket | None = None,
    article=None,
    auto_submitted: str = "auto-generated",
    attachments: list[tuple[str, bytes, str]] | tuple = (),
) -> OutboundMessage:
    """Record the message with our Message-ID (threading, loop detection), then deliver.

    ``attachments``: (file name, content, MIME type), kept in the stored bytes, so a retry
    sends them too."""
    message_id = new_message_id()
    record = OutboundMessage.objects.create(
        ticket=ticket,
        article=article,
        kind=kind,
        recipients=[*to, *cc],
        subject=subject[:300],
        message_id=message_id,
    )
    headers = {
        "Message-ID": f"<{message_id}>",
        "Auto-Submitted": auto_submitted,
        "X-Auto-Response-Suppress": "All",
        **headers,
    }
    msg = EmailMultiAlternatives(subject, text, sender, to, cc=list(cc), headers=headers)
    msg.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        msg.attach(filename, content, mimetype)
    deliver(record, msg)
    return record


#: Waits before the 2nd, 3rd ... attempt; after the last one the message has failed
#: (about two and a half days in all, like an MTA's queue lifetime).
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=8),
    timedelta(hours=12),
    timedelta(hours=24),
]


class _RawMessage:
    """Stored bytes standing in for the MIME object a mail backend asks for."""

    def __init__(self, raw: bytes):
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n", **_kwargs) -> bytes:
        lines = self.raw.replace(b"\r\n", b"\n").split(b"\n")
        return linesep.encode().join(lines)


class StoredEmail(EmailMessage):
    """A message sent again exactly as it was composed the first time."""

    def __init__(self, raw: bytes, from_email: str, recipients: list[str]):
        super().__init__(from_email=from_email, to=recipients)
        self.raw = raw

    def message(self, *args, **kwargs):
        return _RawMessage(self.raw)


def deliver(record: OutboundMessage, msg: EmailMessage, *, now=None) -> None:
    """Keep the exact bytes, then try to send; never raises.

    A temporary failure (server down, 4xx) leaves the message ``deferred`` for
    :func:`retry_due` with a growing wait; a permanent one (5xx: no such mailbox, refused)
    or the last attempt marks it ``failed``. What was tried is in ``error``."""
    try:
        raw = msg.message().as_bytes(linesep="\r\n")
    except Exception as exc:  # noqa: BLE001 - an address or header we cannot write
        record.status = OutboundMessage.Status.FAILED
        record.error = f"{type(exc).__name__}: {exc}"[:2000]
        record.save()
        return
    record.raw_blob = storage.store(raw)
    record.envelope_from = msg.from_email or settings.DEFAULT_FROM_EMAIL
    _attempt(record, msg, now or timezone.now())


def _attempt(record: OutboundMessage, msg: EmailMessage, now) -> None:
    record.attempts += 1
    try:
        msg.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - SMTP raises many kinds; all are recorded
        record.error = f"{type(exc).__name__}: {exc}"[:2000]
        if _permanent(exc) or record.attempts > len(RETRY_DELAYS):
            record.status = OutboundMessage.Status.FAILED
            record.next_attempt_at = None
            log.error("could not send %s: %s", record.message_id, record.error)
            _tell_agents(record, now)
        else:
            record.status = OutboundMessage.Status.DEFERRED
            record.next_attempt_at = now + RETRY_DELAYS[record.attempts - 1]
            log.warning("sending %s deferred: %s", record.message_id, record.error)
    else:
        record.status = OutboundMessage.Status.SENT
        record.sent_at = timezone.now()
        record.next_attempt_at = None
        record.error = ""
    record.save()


def _tell_agents(record: OutboundMessage, now) -> None:
    """A customer did not get our mail: the ticket's agents must know (an internal note)."""
    if record.ticket_id is None:
        return
    from django.utils.translation import gettext as _

    from podpora.tickets import services

    body = _("E-mail „%(subject)s“ pro %(to)s se nepodařilo odeslat: %(error)s") % {
        "subject": record.subject,
        "to": ", ".join(record.recipients),
        "error": record.error,
    }
    try:
        services.add_note(record.ticket, body, actor=None, channel="email", now=now)
    except Exception:  # noqa: BLE001 - the failure itself is recorded on the message
        log.exception("could not note the failed mail %s", record.message_id)


def _permanent(exc: Exception) -> bool:
    """5xx from the server: retrying will not help (RFC 5321 4.2.1)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def retry_due(limit: int = 100, *, now=None) -> int:
    """Send the deferred messages whose wait is over; returns how many were tried."""
    now = now or timezone.now()
    due = list(
        OutboundMessage.objects.filter(
            status=OutboundMessage.Status.DEFERRED, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")[:limit]
    )
    for record in due:
        claimed = OutboundMessage.objects.filter(
            pk=record.pk, status=OutboundMessage.Status.DEFERRED, next_attempt_at__lte=now
        ).update(next_attempt_at=now + RETRY_DELAYS[0])  # another worker skips it meanwhile
        if not claimed:
            continue
        try:
            raw = storage.read(record.raw_blob_id)
        except (OSError, ValueError, TypeError) as exc:
            record.status = OutboundMessage.Status.FAILED
            record.error = f"stored message unreadable: {exc}"[:2000]
            record.save()
            continue
        _attempt(record, StoredEmail(raw, record.envelope_from, record.recipients), now)
    return len(due)


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
        # a reply that greets the customer itself (typed, or from a macro) gets no second one
        {
            "article": article,
            "greeting": "" if opens_with_greeting(article.body) else _greet(first, last, lang),
        },
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
    context = {"greeting": _greet(first, last, lang)}
    if ticket.state == "resolved":  # one click per score (satisfaction/tokens.py)
        from podpora.satisfaction.tokens import links

        context["rating_links"] = links(ticket)
    return _compose(ticket, "state_changed", to, lang, context)


def _merged(ticket_id: int):
    """The source's customer learns which request goes on; the mail is of the survivor, so an
    answer to it threads there."""
    source = Ticket.objects.select_related("contact", "merged_into").get(pk=ticket_id)
    if source.merged_into is None:
        return None
    to, lang, first, last = _customer_recipient(source)
    return _compose(
        source.merged_into,
        "merged",
        to,
        lang,
        {"source": source, "greeting": _greet(first, last, lang)},
    )


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
    "merged": _merged,
}
