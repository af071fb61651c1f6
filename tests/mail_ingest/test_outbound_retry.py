"""Outbound mail survives an SMTP outage: deferred, retried with growing waits, same bytes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from podpora.mail import outbound
from podpora.mail.dovecot import free_port
from podpora.mail.models import OutboundMessage

from .helpers import as_mail, build


def compose(to=("alena@example.cz",)) -> tuple[OutboundMessage, EmailMultiAlternatives]:
    message_id = outbound.new_message_id()
    record = OutboundMessage.objects.create(
        kind="test", recipients=list(to), subject="Požadavek přijat", message_id=message_id
    )
    msg = EmailMultiAlternatives(
        "Požadavek přijat",
        "Dobrý den,\npřijali jsme váš požadavek.\n",
        "podpora@acme.example",
        list(to),
        headers={"Message-ID": f"<{message_id}>", "Auto-Submitted": "auto-generated"},
    )
    msg.attach_alternative("<p>Dobrý den, přijali jsme váš požadavek.</p>", "text/html")
    return record, msg


def test_an_smtp_outage_defers_the_message_and_a_retry_sends_the_same_bytes(settings, smtp, db):
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens: connection refused
    now = timezone.now()
    record, msg = compose()

    outbound.deliver(record, msg, now=now)

    record.refresh_from_db()
    assert record.status == "deferred" and record.attempts == 1
    assert record.next_attempt_at == now + outbound.RETRY_DELAYS[0]
    assert "Connection" in record.error or "refused" in record.error.lower()
    assert outbound.retry_due(now=now) == 0  # not yet due

    later = now + timedelta(minutes=2)
    assert outbound.retry_due(now=later) == 1  # still down: the wait grows
    record.refresh_from_db()
    assert (record.status, record.attempts) == ("deferred", 2)
    assert record.next_attempt_at == later + outbound.RETRY_DELAYS[1]

    settings.EMAIL_PORT = working_port  # the server is back
    assert outbound.retry_due(now=later + timedelta(minutes=10)) == 1
    record.refresh_from_db()
    assert (record.status, record.error, record.next_attempt_at) == ("sent", "", None)
    [envelope] = smtp.messages
    assert envelope.mail_from == "podpora@acme.example"
    assert envelope.rcpt_tos == ["alena@example.cz"]
    sent = as_mail(envelope.content)
    assert sent["Message-ID"] == f"<{record.message_id}>"  # threading still works
    assert sent["Auto-Submitted"] == "auto-generated"
    assert "přijali jsme váš požadavek" in sent.get_body(("plain",)).get_content()


def test_after_the_last_wait_the_message_has_failed(settings, smtp, db):
    settings.EMAIL_PORT = free_port()
    record, msg = compose()
    now = timezone.now()
    outbound.deliver(record, msg, now=now)
    for _wait in outbound.RETRY_DELAYS:
        now += timedelta(days=2)
        outbound.retry_due(now=now)
    record.refresh_from_db()
    assert record.status == "failed" and record.next_attempt_at is None
    assert record.attempts == len(outbound.RETRY_DELAYS) + 1
    assert outbound.retry_due(now=now + timedelta(days=30)) == 0


@pytest.mark.parametrize(
    ("code", "status"),
    [(550, "failed"), (553, "failed"), (450, "deferred"), (451, "deferred")],
)
def test_a_refused_recipient_fails_at_once_and_a_busy_one_is_retried(
    settings, smtp_server, smtp, db, code, status
):
    sink, _port = smtp_server

    async def refuse(server, session, envelope, address, rcpt_options):
        return f"{code} mailbox unavailable"

    sink.handle_RCPT = refuse
    try:
        record, msg = compose()
        outbound.deliver(record, msg)
    finally:
        del sink.handle_RCPT
    record.refresh_from_db()
    assert record.status == status
    assert str(code) in record.error
    assert smtp.messages == []


def test_a_failed_notification_leaves_a_note_for_the_agents(cast, mailbox, deliver, smtp_server):
    from podpora.tickets.models import Ticket

    sink, _port = smtp_server

    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 no such user"

    sink.handle_RCPT = refuse
    try:
        deliver(build(sender="alena@example.cz"), mailbox)
    finally:
        del sink.handle_RCPT
    ticket = Ticket.objects.get()
    ack = OutboundMessage.objects.get(ticket=ticket, kind="ticket_created")
    assert ack.status == "failed"
    note = ticket.articles.filter(internal=True).get()
    assert "se nepodařilo odeslat" in note.body and "alena@example.cz" in note.body
    assert "550" in note.body
