"""Real servers for the e-mail tests: an SMTP sink (aiosmtpd) and Dovecot over IMAP/TLS."""

from __future__ import annotations

import logging

import pytest

from podpora.mail import dovecot as dovecot_server
from podpora.mail.dovecot import free_port

from .helpers import MAILBOX_ADDRESS


class Sink:
    """What reached our SMTP server, as raw bytes with the envelope."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"

    def to(self, address: str):
        return [e for e in self.messages if address in e.rcpt_tos]


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


@pytest.fixture(autouse=True)
def smtp(_isolated, settings, smtp_server):
    """Every test here sends over real SMTP to the sink; the sink is empty at the start."""
    sink, port = smtp_server
    sink.messages.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = MAILBOX_ADDRESS
    settings.MESSAGE_ID_DOMAIN = "podpora.example"
    return sink


@pytest.fixture
def mailbox(cast):
    from podpora.mail.models import Mailbox

    return Mailbox.objects.create(
        vendor=cast.vendor,
        name="Podpora ACME",
        address=MAILBOX_ADDRESS,
        team=cast.team,
        product=cast.product,
    )


@pytest.fixture(params=["one", "batch"])
def deliver(request, django_capture_on_commit_callbacks):
    """receive() + process() the way a transport does, running after-commit work; every
    test using it runs twice: processed alone, and as a batch (process_batch), which must
    give the same outcome."""

    def run(raw: bytes, mailbox=None):
        from podpora.mail import ingest

        with django_capture_on_commit_callbacks(execute=True):
            inbound = ingest.receive(raw, mailbox)
            if request.param == "batch":
                return ingest.process_batch([inbound])[0]
            return ingest.process(inbound)

    return run


# --------------------------------------------------------------------------- Dovecot


@pytest.fixture(scope="session")
def dovecot():
    reason = dovecot_server.unavailable_reason()
    if reason:
        pytest.skip(f"{reason}: IMAP tests skipped")
    try:
        server = dovecot_server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


@pytest.fixture
def imap_mailbox(cast, dovecot, settings):
    """A mailbox of vendor ACME on Dovecot over TLS, in a folder of its own."""
    from podpora.mail.models import Mailbox

    settings.MAIL_IMAP_CAFILE = dovecot.cafile
    folder = dovecot.new_folder()
    return Mailbox.objects.create(
        vendor=cast.vendor,
        name="Podpora ACME (IMAP)",
        address=MAILBOX_ADDRESS,
        imap_host="127.0.0.1",
        imap_port=dovecot.tls_port,
        imap_user=dovecot.user,
        imap_password=dovecot.password,
        imap_folder=folder,
        imap_security=Mailbox.Security.TLS,
        team=cast.team,
        product=cast.product,
    )
