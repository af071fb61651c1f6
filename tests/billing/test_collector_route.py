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
