"""InTouch by e-mail: a writer from an unknown address identified by the text (IČO or company
name, first and last name), the version read from the text, and asked for when it is missing."""

from __future__ import annotations

import datetime as dt

import pytest

from podpora.tickets.models import Ticket

from .helpers import as_mail, build, reply_to

ADDRESS = "support@intouch-crm.example"


@pytest.fixture
def intouch(db):
    from podpora.demo import VENDORS, load_vendor
    from podpora.mail.models import Mailbox

    setup = next(v for v in VENDORS if v.slug == "intouch")
    vendor = load_vendor(setup, dt.date.today())[0]
    Mailbox.objects.create(
        vendor=vendor, name="InTouch", address=ADDRESS, team=vendor.teams.first()
    )
    return vendor


def mail(body: str, *, sender="lukas.prochazka@gmail.example", name="", subject="Hromadný e-mail"):
    return build(sender=sender, sender_name=name, to=ADDRESS, subject=subject, body=body)


# body, sender's display name -> organisation, contact, version, entitlement reason
CASES = [
    (
        "Dobrý den, nejde nám odeslat hromadný e-mail. Používáme verzi 10.0.\n\n"
        "Lukáš Procházka\nAutodíly Ústí s.r.o.",
        "",
        "Autodíly Ústí s.r.o.",
        "Procházka",
        "10.0",
        "covered",
    ),
    (  # the IČO, a patch version, the name in the From header, no diacritics in the body
        "Dobry den, ve verzi 10.0.3 nejde odeslat hromadny e-mail.\nIC: 28113322",
        "Lukas Prochazka",
        "Autodíly Ústí s.r.o.",
        "Procházka",
        "10.0",
        "covered",
    ),
    (  # the company without its legal form, in capitals; the version missing: asked for
        "Dobrý den, nejde odeslat hromadný e-mail.\nLenka Černá, REALITY SEVER",
        "",
        "Reality Sever a.s.",
        "Černá",
        None,
        "version_not_stated",
    ),
    (  # the company, but nobody of that name there: not identified
        "Dobrý den, verze 10.0 nejde odeslat e-mail.\nJana Nová, Autodíly Ústí",
        "",
        "Autodíly Ústí s.r.o.",
        None,
        "10.0",
        "not_identified",
    ),
    # nobody recognised: asked who they are, not told there is no contract
    ("Dobrý den, verze 10.0 nejde odeslat e-mail. Jana", "", None, None, "10.0", "not_identified"),
]


@pytest.mark.parametrize("body,name,org,person,version,reason", CASES)
def test_unknown_address_identified_by_the_text(
    intouch, deliver, body, name, org, person, version, reason
):
    inbound = deliver(mail(body, name=name))
    assert inbound.state == "processed", inbound.detail
    ticket = Ticket.objects.get()
    assert (ticket.organization.name if ticket.organization else None) == org
    assert (ticket.contact.last_name if ticket.contact else None) == person
    assert (ticket.version.name if ticket.version else None) == version
    assert ticket.entitlement_reason == reason, ticket.entitlement_detail
    assert ticket.sender_verified is False


def test_missing_version_is_asked_for_and_the_reply_gives_it(intouch, deliver, smtp):
    deliver(mail("Dobrý den, nejde odeslat hromadný e-mail.\nLukáš Procházka, Autodíly Ústí"))
    ticket = Ticket.objects.get()
    assert ticket.entitlement_reason == "version_not_stated"
    [ack] = smtp.messages
    assert ack.rcpt_tos == ["prochazka@autodily-usti.example"] or ack.rcpt_tos
    text = as_mail(ack.content).get_body(("plain",)).get_content()
    assert "kterou verzi programu používáte" in text
    smtp.messages.clear()

    deliver(reply_to(ack.content, sender="lukas.prochazka@gmail.example", body="Máme verzi 9.5.\n"))
    ticket.refresh_from_db()
    assert ticket.version.name == "9.5" and ticket.entitlement_status == "covered"
    assert ticket.resolution_target == "1wd" and ticket.resolution_due is not None
    assert ticket.events.filter(kind="field_changed", data__field="version").exists()


def test_an_unknown_writer_is_asked_who_they_are_and_the_reply_identifies_them(
    intouch, deliver, smtp
):
    deliver(mail("Dobrý den, ve verzi 10.0 nejde odeslat hromadný e-mail.\nDěkuji"))
    ticket = Ticket.objects.get()
    assert (ticket.organization, ticket.contact) == (None, None)
    assert ticket.entitlement_reason == "not_identified"
    [ack] = smtp.messages
    text = as_mail(ack.content).get_body(("plain",)).get_content()
    assert "Neexistuje platná smlouva" not in text
    assert "IČO nebo název vaší společnosti a své jméno a příjmení" in text
    smtp.messages.clear()

    deliver(
        reply_to(
            ack.content,
            sender="lukas.prochazka@gmail.example",
            body="Lukáš Procházka, Autodíly Ústí s.r.o.\n",
        )
    )
    ticket.refresh_from_db()
    assert ticket.organization.name == "Autodíly Ústí s.r.o."
    assert ticket.contact.last_name == "Procházka"
    assert ticket.entitlement_status == "covered", ticket.entitlement_detail
    assert ticket.events.filter(kind="field_changed", data__field="contact").exists()


def test_an_english_mail_is_refused_with_a_czech_reason(intouch, deliver, smtp):
    deliver(
        mail(
            "Hello, we use version 10.0 and cannot send the mass e-mail to our customers.\n"
            "Lukáš Procházka, Autodíly Ústí s.r.o.",
            subject="Mass e-mail does not work",
        )
    )
    ticket = Ticket.objects.get()
    assert (ticket.request_language, ticket.entitlement_reason) == ("en", "language")
    [ack] = smtp.messages
    text = as_mail(ack.content).get_body(("plain",)).get_content()
    assert "poskytuje jen v jazycích: čeština" in text
