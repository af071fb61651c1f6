"""The offer before HOTLINE START ends goes through the outbound queue: with the mail server
down it waits and is sent when the server is back (it used to be lost for good)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.utils import timezone

from podpora.customers.jobs import offer_start_renewals
from podpora.mail import outbound
from podpora.mail.dovecot import free_port
from podpora.mail.models import OutboundMessage
from tests.mail_ingest import conftest as mail_fixtures
from tests.mail_ingest.helpers import as_mail

from .conftest import TODAY

#: the SMTP sink of the e-mail tests (autouse: every test here sends over real SMTP)
smtp, smtp_server = mail_fixtures.smtp, mail_fixtures.smtp_server

END = TODAY + dt.timedelta(days=140)  # Obec Rusava's START (ACS-2026-0147)


def test_the_offer_survives_an_smtp_outage(
    seed, settings, smtp, django_capture_on_commit_callbacks
):
    seed("estelar")
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # the mail server is down
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_start_renewals(END - dt.timedelta(days=30)) == ["ACS-2026-0147"]
    records = list(OutboundMessage.objects.filter(kind__startswith="start_ending").order_by("pk"))
    assert [r.kind for r in records] == ["start_ending", "start_ending_sales"]
    assert {r.status for r in records} == {"deferred"}
    assert smtp.messages == []

    settings.EMAIL_PORT = working_port  # back up
    assert outbound.retry_due(now=timezone.now() + timedelta(minutes=2)) == 2
    assert {r.status for r in OutboundMessage.objects.filter(pk__in=[r.pk for r in records])} == {
        "sent"
    }
    customer = next(m for m in smtp.messages if "estelar-kratochvil@zakaznik.example" in m.rcpt_tos)
    mail = as_mail(customer.content)
    assert "ACS-2026-0147" in mail["Subject"]
    assert mail["Auto-Submitted"] == "auto-generated"
    assert "HOTLINE+" in mail.get_body(("plain",)).get_content()
    # claimed once: the job does not offer again while the mail waits
    with django_capture_on_commit_callbacks(execute=True):
        assert offer_start_renewals(END - dt.timedelta(days=20)) == []
