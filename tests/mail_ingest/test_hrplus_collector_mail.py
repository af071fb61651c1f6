"""HR Plus by e-mail, by customer state: a one-time order, a prospect and a company not in
the register are served through the collector ("Dotaz do Centra podpory"), so their mail is
recorded as the collector records a question (answered at the address it came from, with the
private link, no SLA); customers with a contract or in implementation file requests."""

from __future__ import annotations

import datetime as dt

import pytest

from podpora.tickets.models import Ticket

from .helpers import as_mail, build

ADDRESS = "podpora@hrplus.example"


@pytest.fixture
def hrplus(db):
    from podpora.demo import VENDORS, load_vendor
    from podpora.mail.models import Mailbox

    setup = next(v for v in VENDORS if v.slug == "hrplus")
    vendor = load_vendor(setup, dt.date.today())[0]
    Mailbox.objects.create(vendor=vendor, name="HR Plus", address=ADDRESS)
    return vendor


def _address(who):
    from podpora.customers.models import Contact

    if who.startswith("hrplus-"):
        return Contact.objects.get(user__username=who).email
    return who


# sender -> channel the request is recorded on, inbound reason, entitlement reason, has SLA
CASES = [
    ("hrplus-horak", "webform", "collector", "covered", False),  # one-time order
    ("info@logistika-brno.example", "webform", "collector", "public_question", False),
    ("hrplus-novak", "email", "", "covered", True),  # valid contract
    ("hrplus-svoboda", "email", "", "covered", True),  # in implementation
]


@pytest.mark.parametrize("who,channel,reason,entitlement,sla", CASES)
def test_mail_follows_the_access_by_customer_state(
    hrplus, deliver, smtp, who, channel, reason, entitlement, sla
):
    address = _address(who)
    inbound = deliver(build(sender=address, to=ADDRESS, subject="Dotaz ke mzdám"))
    assert inbound.state == "processed", inbound.detail
    assert inbound.reason == reason
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.entitlement_reason) == (channel, entitlement)
    assert ticket.entitlement_status != "rejected"
    assert (ticket.first_response_due is not None) == sla
    assert ticket.requester_email == address
    if channel == "webform":
        # the collector's answer: the private page where the author reads and replies
        assert ticket.public_token
        from podpora.mail.outbound import ticket_url

        sent = [as_mail(e.content) for e in smtp.to(address)]
        bodies = [m.get_body(("plain",)).get_content() for m in sent]
        assert any(ticket_url(ticket) in body for body in bodies)


# what the mail of a customer in implementation says -> the function recorded, entitlement
FUNCTIONS = [
    ("Ve mzdách se neukládá srážka.", "Mzdy", "covered"),
    ("V DOCHÁZCE chybí svátky.", "Docházka", "covered"),
    ("Jak nastavit školení zaměstnanců?", None, "function_not_in_implementation"),
]


@pytest.mark.parametrize("body,function,reason", FUNCTIONS)
def test_mail_in_implementation_names_the_function(hrplus, deliver, body, function, reason):
    deliver(build(sender=_address("hrplus-svoboda"), to=ADDRESS, subject="Dotaz", body=body))
    ticket = Ticket.objects.get()
    found = ticket.implemented_function.name if ticket.implemented_function else None
    assert (found, ticket.entitlement_reason) == (function, reason)
    if function is None:
        assert "Docházka, Mzdy" in ticket.entitlement_detail
