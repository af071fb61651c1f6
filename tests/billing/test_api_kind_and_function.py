"""The API names the request's kind (``scope``, the portal's "Druh požadavku") and, in
implementation, the function it is about; both validated, both judged as on the portal."""

from __future__ import annotations

import pytest

from podpora.accounts.services import create_api_token
from podpora.tickets.models import Ticket

from .conftest import contact

pytestmark = pytest.mark.django_db


def post(client, who, **fields):
    user = contact(who).user
    return client.post(
        "/api/v1/tickets",
        {"subject": "Dotaz", "body": "Popis požadavku.", **fields},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {create_api_token(user)}",
    )


# who, fields -> status code, entitlement status, reason, scope stored
CASES = [
    ("hrplus-novak", {}, 201, "covered", "covered", None),
    ("hrplus-novak", {"scope": "training"}, 201, "rejected", "out_of_scope", "training"),
    ("hrplus-novak", {"scope": "third_party"}, 201, "rejected", "out_of_scope", "third_party"),
    ("hrplus-novak", {"scope": "nonsense"}, 422, None, "scope", None),
    ("hrplus-svoboda", {"function": "mzdy"}, 201, "covered", "covered", None),
    ("hrplus-svoboda", {}, 201, "rejected", "function_not_in_implementation", None),
    ("hrplus-svoboda", {"function": "Sklad"}, 422, None, "function", None),
    ("hrplus-novak", {"function": "Mzdy"}, 422, None, "function", None),  # not theirs
]


@pytest.mark.parametrize("who,fields,code,status,reason,scope", CASES)
def test_api_kind_and_function(seed, client, who, fields, code, status, reason, scope):
    seed("hrplus")
    r = post(client, who, **fields)
    assert r.status_code == code, r.content
    body = r.json()
    if code == 422:
        assert reason in body["fields"] and Ticket.objects.count() == 0
        return
    ticket = Ticket.objects.get(number=body["number"])
    assert (ticket.entitlement_status, ticket.entitlement_reason) == (status, reason)
    assert body["scope"] == scope and body["entitlement"]["status"] == status


def test_openapi_documents_the_kind_and_the_function(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    fields = schema["components"]["schemas"]["TicketIn"]["properties"]
    assert "Druh požadavku" in fields["scope"]["description"]
    assert "implement" in fields["function"]["description"]
