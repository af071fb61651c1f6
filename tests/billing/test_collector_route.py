"""HR Plus: a one-time order is served online through the collector; in the portal the
customer is sent there (and to the hotline, paid from the package) and nothing is stored."""

from __future__ import annotations

import pytest

from podpora.tickets.models import Ticket

from .conftest import contact

pytestmark = pytest.mark.django_db

NEW = {"subject": "Mzdy za únor", "type": "question", "impact": "2", "urgency": "2", "body": "?"}


def test_a_one_time_order_is_sent_to_the_collector(seed, client):
    seed("hrplus")
    client.force_login(contact("hrplus-horak").user)
    for response in (client.get("/portal/new/"), client.post("/portal/new/", NEW)):
        page = response.content.decode()
        assert 'href="/dotaz/hrplus/"' in page and 'id="collector-route"' in page
        assert "+420 602 570 507" in page and 'name="subject"' not in page
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("who", ["hrplus-novak", "hrplus-svoboda"])
def test_contract_and_implementation_customers_file_in_the_portal(seed, client, who):
    seed("hrplus")
    client.force_login(contact(who).user)
    assert 'name="subject"' in client.get("/portal/new/").content.decode()


FORM = {"name": "Martin Horák", "email": "m.horak@pekarna.example", "subject": "Mzdy", "body": "?"}


def test_a_logged_in_one_time_customer_asks_through_the_form_as_who_they_are(seed, client):
    """The collector of a one-time order: filed for the organisation and the person (its
    one-time plan, not the prospects' public plan), without an SLA."""
    seed("hrplus")
    horak = contact("hrplus-horak")
    client.force_login(horak.user)
    page = client.get("/dotaz/hrplus/").content.decode()
    assert horak.organization.name in page
    response = client.post("/dotaz/hrplus/", FORM)
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.organization, ticket.contact, ticket.channel) == (
        horak.organization,
        horak,
        "webform",
    )
    assert ticket.plan.kind == "one_time" and ticket.entitlement_status == "covered"
    assert ticket.first_response_due is None and ticket.public_token


def test_an_end_user_on_the_public_form_is_told_whom_to_ask(seed, client):
    seed("hrplus")
    client.force_login(contact("hrplus-uzivatel").user)
    response = client.post("/dotaz/hrplus/", FORM)
    assert response.status_code == 403 and "Novák" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_anonymous_form_stays_anonymous(seed, client):
    seed("hrplus")
    client.post("/dotaz/hrplus/", FORM)
    ticket = Ticket.objects.get()
    assert ticket.organization is None and ticket.contact is None
    assert ticket.entitlement_reason == "public_question"
