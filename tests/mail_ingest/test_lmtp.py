"""The LMTP listener with a real LMTP client (smtplib.LMTP): stored before 250, 451 if not."""

from __future__ import annotations

import smtplib

import pytest

from podpora.mail import ingest, lmtp
from podpora.mail.dovecot import free_port
from podpora.mail.models import InboundMessage
from podpora.tickets.models import Ticket

from .helpers import MAILBOX_ADDRESS, build

pytestmark = pytest.mark.django_db(transaction=True)  # the listener has its own connection


@pytest.fixture
def server(cast, mailbox, settings):
    port = free_port()
    srv = lmtp.Server("127.0.0.1", port, max_bytes=settings.MAX_MESSAGE_BYTES)
    srv.start()
    yield srv, port
    srv.stop()


def deliver(port: int, raw: bytes, rcpts: list[str]) -> dict:
    with smtplib.LMTP("127.0.0.1", port) as client:
        client.ehlo_or_helo_if_needed()
        return client.sendmail("alena@example.cz", rcpts, raw)


def drain(srv) -> None:
    srv.drain()  # every message acknowledged so far is processed


def test_a_delivered_message_becomes_a_ticket_after_a_250(server):
    srv, port = server
    refused = deliver(
        port, build(sender="alena@example.cz", subject="Přes LMTP"), [MAILBOX_ADDRESS]
    )
    assert refused == {}
    drain(srv)
    ticket = Ticket.objects.get()
    assert ticket.subject == "Přes LMTP" and ticket.channel == "email"
    assert InboundMessage.objects.get().state == "processed"
    assert (srv.stats.stored, srv.stats.processed) == (1, {"processed": 1})


def test_an_address_that_is_not_ours_is_refused_at_rcpt(server):
    srv, port = server
    with pytest.raises(smtplib.SMTPRecipientsRefused) as exc:
        deliver(port, build(), ["nekdo@jinde.example"])
    [(code, _message)] = exc.value.recipients.values()
    assert code == 550
    assert InboundMessage.objects.count() == 0


def test_the_same_message_twice_is_stored_once(server):
    srv, port = server
    raw = build(sender="alena@example.cz")
    deliver(port, raw, [MAILBOX_ADDRESS])
    deliver(port, raw, [MAILBOX_ADDRESS])
    drain(srv)
    assert InboundMessage.objects.count() == 1 and Ticket.objects.count() == 1
    assert (srv.stats.stored, srv.stats.duplicates) == (1, 1)


def test_when_the_message_cannot_be_stored_the_mta_is_told_to_retry(server, monkeypatch):
    srv, port = server

    def broken(raw, mailbox=None, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(ingest, "receive", broken)
    with pytest.raises(smtplib.SMTPDataError) as exc:
        deliver(port, build(), [MAILBOX_ADDRESS])
    assert exc.value.smtp_code == 451
    monkeypatch.undo()
    deliver(port, build(subject="Znovu"), [MAILBOX_ADDRESS])  # the retry goes through
    drain(srv)
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["Znovu"]


def test_stopping_drains_the_queue(cast, mailbox, settings):
    port = free_port()
    srv = lmtp.Server("127.0.0.1", port, max_bytes=settings.MAX_MESSAGE_BYTES)
    srv.start()
    for n in range(5):
        deliver(port, build(sender="alena@example.cz", subject=f"Dávka {n}"), [MAILBOX_ADDRESS])
    srv.stop()
    assert Ticket.objects.count() == 5
    assert set(InboundMessage.objects.values_list("state", flat=True)) == {"processed"}


def test_two_of_our_mailboxes_get_one_reply_each_and_a_copy_each(server, cast, mailbox):
    """RFC 2033: after DATA, one reply per accepted recipient (a raw client checks it)."""
    import socket

    from podpora.mail.models import Mailbox

    srv, port = server
    second = Mailbox.objects.create(
        vendor=cast.vendor, name="Obchod", address="obchod@acme.example"
    )
    raw = build(sender="alena@example.cz", subject="Dvěma schránkám")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        stream = sock.makefile("rwb")

        def say(line: bytes) -> bytes:
            stream.write(line + b"\r\n")
            stream.flush()
            return stream.readline()

        assert stream.readline().startswith(b"220")
        stream.write(b"LHLO mta.example\r\n")
        stream.flush()
        while not (line := stream.readline()).startswith(b"250 "):
            assert line.startswith(b"250-")
        assert say(b"MAIL FROM:<alena@example.cz>").startswith(b"250")
        assert say(f"RCPT TO:<{MAILBOX_ADDRESS}>".encode()).startswith(b"250")
        assert say(b"RCPT TO:<nikdo@jinde.example>").startswith(b"550")
        assert say(b"RCPT TO:<obchod@acme.example>").startswith(b"250")
        assert say(b"DATA").startswith(b"354")
        stream.write(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + b"\r\n.\r\n")
        stream.flush()
        replies = [stream.readline(), stream.readline()]
        assert all(r.startswith(b"250 ") for r in replies), replies
        assert say(b"QUIT").startswith(b"221")
    drain(srv)
    copies = InboundMessage.objects.values_list("mailbox", flat=True)
    assert sorted(copies) == sorted([mailbox.pk, second.pk])
    assert Ticket.objects.count() == 1  # the second copy is the same message: not a 2nd ticket
