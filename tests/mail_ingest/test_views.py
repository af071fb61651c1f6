"""The quarantine console: staff list, look, reprocess and release; customers get a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from podpora.mail.models import InboundMessage, Mailbox
from podpora.tickets.models import Ticket

from .helpers import build


@pytest.fixture
def quarantined(cast, mailbox, deliver):
    mailbox.unknown_sender_policy = Mailbox.UnknownSenderPolicy.AUTOREPLY
    mailbox.save()
    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = Ticket.objects.get()
    foreign = deliver(
        build(sender="mallory@evil.example", subject=f"Re: [#{ticket.number}] <b>heslo</b>"),
        mailbox,
    )
    mailbox.foreign_reply_policy = Mailbox.ForeignReplyPolicy.QUARANTINE
    mailbox.save()
    foreign = deliver(
        build(sender="bohous@example.cz", subject=f"Re: [#{ticket.number}] <script>x</script>"),
        mailbox,
    )
    assert foreign.state == "quarantined"
    return foreign


def test_staff_see_the_quarantine_and_release_a_message(client, cast, quarantined):
    client.force_login(cast.agent)
    page = client.get(reverse("mail:quarantine"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "bohous@example.cz" in html and "foreign_reply" not in html
    assert "Odpověď od odesílatele, který k požadavku nepatří." in html  # the reason, not its code
    assert "<script>x</script>" not in html  # the subject is escaped

    detail = client.get(reverse("mail:quarantine_detail", args=[quarantined.pk]))
    assert detail.status_code == 200 and "Uvolnit" in detail.content.decode()
    raw = client.get(reverse("mail:quarantine_raw", args=[quarantined.pk]))
    assert raw["Content-Disposition"].startswith("attachment")

    response = client.post(reverse("mail:quarantine_release", args=[quarantined.pk]))
    assert response.status_code == 302
    quarantined.refresh_from_db()
    assert quarantined.state == "released" and quarantined.released_by == cast.agent
    assert quarantined.ticket.articles.count() == 2


def test_staff_reprocess_after_fixing_the_cause(client, cast, mailbox, deliver):
    mailbox.unknown_sender_policy = Mailbox.UnknownSenderPolicy.AUTOREPLY
    mailbox.save()
    ignored = deliver(build(sender="novy@firma.example"), mailbox)
    assert ignored.state == "ignored"
    cast.org_a.email_domains = ["firma.example"]
    cast.org_a.save()

    client.force_login(cast.agent)
    assert (
        "novy@firma.example"
        in client.get(reverse("mail:quarantine") + "?state=ignored").content.decode()
    )
    client.post(reverse("mail:quarantine_reprocess", args=[ignored.pk]))
    ignored.refresh_from_db()
    assert ignored.state == "processed" and ignored.ticket.organization == cast.org_a


def test_customers_and_other_vendors_get_404(client, cast, quarantined):
    urls = [
        reverse("mail:quarantine"),
        reverse("mail:quarantine_detail", args=[quarantined.pk]),
        reverse("mail:quarantine_raw", args=[quarantined.pk]),
    ]
    client.force_login(cast.contact_a.user)
    for url in urls:
        assert client.get(url).status_code == 404
    for action in ("mail:quarantine_release", "mail:quarantine_reprocess"):
        assert client.post(reverse(action, args=[quarantined.pk])).status_code == 404

    client.force_login(cast.other_agent)  # staff of another vendor
    assert client.get(urls[0]).status_code == 200
    assert "bohous" not in client.get(urls[0]).content.decode()
    assert client.get(urls[1]).status_code == 404
    assert client.post(reverse("mail:quarantine_release", args=[quarantined.pk])).status_code == 404
    quarantined.refresh_from_db()
    assert quarantined.state == "quarantined"
    assert InboundMessage.objects.filter(state="released").count() == 0


def test_anonymous_is_sent_to_log_in(client, quarantined):
    response = client.get(reverse("mail:quarantine"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_mail_without_a_mailbox_is_shown_to_the_vendor_it_was_routed_to(client, cast, deliver):
    """The pipe without --mailbox and LMTP store no mailbox: the vendor whose support address
    it was sent to is stored, and its staff see it even when no ticket was made."""
    cast.vendor.support_email = "hotline@acme.example"
    cast.vendor.save()
    message = deliver(
        build(
            sender="robot@nekdo.example",
            to="Hotline@ACME.example",
            subject="Automatická odpověď: jsem mimo kancelář",
            headers={"Auto-Submitted": "auto-replied"},
        )
    )
    assert message.mailbox is None and message.ticket is None
    assert message.state in ("quarantined", "ignored")
    message.refresh_from_db()
    assert message.vendor == cast.vendor
    client.force_login(cast.agent)
    page = client.get(reverse("mail:quarantine"), {"state": "all"}).content.decode()
    assert "robot@nekdo.example" in page
    assert client.get(reverse("mail:quarantine_detail", args=[message.pk])).status_code == 200
    client.force_login(cast.other_agent)  # another vendor's staff: nothing
    page = client.get(reverse("mail:quarantine"), {"state": "all"}).content.decode()
    assert "robot@nekdo.example" not in page
    assert client.get(reverse("mail:quarantine_detail", args=[message.pk])).status_code == 404
