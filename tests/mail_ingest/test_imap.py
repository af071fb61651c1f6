"""The IMAP poller against a real Dovecot over TLS: messages appended, polled, filed."""

from __future__ import annotations

import ssl

import pytest
from django.core.management import call_command

from podpora.mail import imap, ingest
from podpora.mail.models import InboundMessage, Mailbox
from podpora.tickets.models import Attachment, Ticket

from .helpers import build, fixture

pytestmark = pytest.mark.imap


@pytest.fixture
def poll(django_capture_on_commit_callbacks):
    def run(mailbox, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return imap.poll_mailbox(mailbox, **kwargs)

    return run


def _contacts(cast):
    from podpora.customers.models import Contact

    for email in ("petra.dvorakova@strojirny-zdar.example", "jiri.stastny@example.cz"):
        Contact.objects.create(organization=cast.org_a, first_name="X", last_name="Y", email=email)


def test_poll_files_messages_flags_them_and_acknowledges(cast, imap_mailbox, dovecot, poll, smtp):
    _contacts(cast)
    dovecot.append(
        imap_mailbox.imap_folder,
        fixture("cz_windows1250_qp.eml"),
        fixture("cz_iso88592_base64_8bit_headers.eml"),
        build(
            sender="alena@example.cz",
            attachments=[("../../etc/passwd", "text/plain", b"root:x:0:0")],
        ),
    )
    assert dovecot.status(imap_mailbox.imap_folder)["unseen"] == 3

    result = poll(imap_mailbox)

    assert (result.fetched, result.new, result.states) == (3, 3, {"processed": 3})
    assert Ticket.objects.count() == 3
    assert {t.subject for t in Ticket.objects.all()} >= {
        "Požadavek č. 123 – nefunguje tisk faktur",
        "Účetní uzávěrka se zasekne - modul Sklad",
    }
    assert Attachment.objects.get().filename == "passwd"
    assert dovecot.status(imap_mailbox.imap_folder) == {"messages": 3, "unseen": 0}
    assert len(smtp.messages) == 3
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_polled_at is not None and imap_mailbox.last_error == ""

    again = poll(imap_mailbox)  # nothing new
    assert again.fetched == 0 and Ticket.objects.count() == 3


def test_poll_moves_processed_mail_to_a_folder(cast, imap_mailbox, dovecot, poll):
    imap_mailbox.processed_folder = imap_mailbox.imap_folder + "-done"
    imap_mailbox.save()
    dovecot.append(imap_mailbox.imap_folder, build(), build(sender="adam@example.cz"))

    poll(imap_mailbox)

    assert dovecot.status(imap_mailbox.imap_folder)["messages"] == 0
    assert dovecot.status(imap_mailbox.processed_folder)["messages"] == 2
    assert Ticket.objects.count() == 2


def test_a_crash_between_storing_and_flagging_loses_and_doubles_nothing(
    cast, imap_mailbox, dovecot, poll, monkeypatch
):
    messages = [build(sender="alena@example.cz", subject=f"Požadavek {n}") for n in range(5)]
    dovecot.append(imap_mailbox.imap_folder, *messages)
    real_mark = imap._mark_processed
    calls = {"n": 0}

    def crash_on_second(client, mailbox, uids):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("killed after storing messages 3 and 4")  # like SIGINT
        real_mark(client, mailbox, uids)

    monkeypatch.setattr(imap, "BATCH_MESSAGES", 2)
    monkeypatch.setattr(imap, "_mark_processed", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        poll(imap_mailbox)
    assert InboundMessage.objects.count() == 4  # the second batch stored, not flagged
    assert InboundMessage.objects.filter(state="received").count() == 2
    assert dovecot.status(imap_mailbox.imap_folder)["unseen"] == 3

    monkeypatch.setattr(imap, "_mark_processed", real_mark)
    result = poll(imap_mailbox)

    assert (result.fetched, result.new, result.duplicates) == (3, 1, 2)
    ingest.process_stale(older_than=__import__("datetime").timedelta(0))
    assert InboundMessage.objects.count() == 5
    assert Ticket.objects.count() == 5
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        f"Požadavek {n}" for n in range(5)
    ]
    assert dovecot.status(imap_mailbox.imap_folder)["unseen"] == 0


def test_a_crash_after_flagging_is_picked_up_by_the_retry_job(
    cast, imap_mailbox, dovecot, poll, monkeypatch
):
    from datetime import timedelta

    dovecot.append(imap_mailbox.imap_folder, *[build(subject=f"S {n}") for n in range(3)])
    real_process = ingest.process_batch
    calls = {"n": 0}

    def die_on_second(rows, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real_process(rows, **kwargs)

    monkeypatch.setattr(ingest, "BATCH_SIZE", 1)  # processed one to a transaction
    monkeypatch.setattr(ingest, "process_batch", die_on_second)
    with pytest.raises(SystemExit):
        poll(imap_mailbox)
    monkeypatch.setattr(ingest, "process_batch", real_process)

    # the whole batch was stored and flagged; the second and third wait in "received"
    assert InboundMessage.objects.filter(state="received").count() == 2
    assert dovecot.status(imap_mailbox.imap_folder)["unseen"] == 0
    assert poll(imap_mailbox).fetched == 0
    assert ingest.process_stale(older_than=timedelta(0)) == 2
    assert Ticket.objects.count() == 3 and InboundMessage.objects.count() == 3


def test_an_untrusted_certificate_is_refused_and_other_mailboxes_still_poll(
    cast, imap_mailbox, dovecot, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_IMAP_CAFILE = None  # the self-signed certificate is not trusted now
    dovecot.append(imap_mailbox.imap_folder, build())
    with pytest.raises(ssl.SSLError):
        imap.poll_mailbox(imap_mailbox)
    imap_mailbox.refresh_from_db()
    assert "CERTIFICATE_VERIFY_FAILED" in imap_mailbox.last_error
    assert InboundMessage.objects.count() == 0

    # Another mailbox over STARTTLS on the plain port, with the CA trusted: the job polls it
    # even though the first one fails.
    settings.MAIL_IMAP_CAFILE = dovecot.cafile
    second = Mailbox.objects.create(
        vendor=cast.vendor,
        name="Druhá",
        address="druha@acme.example",
        imap_host="127.0.0.1",
        imap_port=dovecot.plain_port,
        imap_security=Mailbox.Security.STARTTLS,
        imap_user=dovecot.user,
        imap_password=dovecot.password,
        imap_folder=dovecot.new_folder(),
    )
    from .conftest import free_port

    # A server that is down (a wrong password would make Dovecot slow down every later login
    # from this address: its auth penalty).
    Mailbox.objects.filter(pk=imap_mailbox.pk).update(imap_port=free_port())
    dovecot.append(second.imap_folder, build(to="druha@acme.example"))
    from podpora.mail import jobs

    with django_capture_on_commit_callbacks(execute=True):
        line = jobs.poll_mailboxes()
    assert "failed" in line and "1 new" in line
    assert Ticket.objects.count() == 1


def test_oversized_message_stays_on_the_server_and_is_quarantined(
    cast, imap_mailbox, dovecot, poll, settings
):
    settings.MAX_MESSAGE_BYTES = 5000
    dovecot.append(imap_mailbox.imap_folder, build(body="velká příloha " * 1000))
    result = poll(imap_mailbox)
    assert result.states == {"quarantined": 1}
    inbound = InboundMessage.objects.get()
    assert inbound.reason == "too_large" and inbound.size > 5000
    assert dovecot.status(imap_mailbox.imap_folder)["messages"] == 1  # flagged, not deleted


def test_poll_mail_command_shows_progress(cast, imap_mailbox, dovecot, capsys):
    dovecot.append(imap_mailbox.imap_folder, build(), build(sender="bohous@example.cz"))
    call_command("poll-mail")
    out = capsys.readouterr().out
    assert imap_mailbox.address in out
    assert out.count("processed AC-") == 2
    assert "2 fetched, 2 new" in out
