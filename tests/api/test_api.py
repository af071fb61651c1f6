import pytest

from podpora.accounts.services import create_api_token
from tests.conftest import new_ticket

TICKET_FIELDS = {
    "number",
    "subject",
    "type",
    "channel",
    "state",
    "priority",
    "organization",
    "contact",
    "product",
    "version",
    "created_at",
    "first_response_due",
    "resolution_due",
    "first_responded_at",
    "resolved_at",
    "sla_breached",
    "entitlement",
}


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user)}"}


def test_unauthenticated_is_401_with_detail(cast, client):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer nope"}):
        r = client.get("/api/v1/tickets", **headers)
        assert r.status_code == 401
        assert "token" in r.json()["detail"]


def test_openapi_schema_is_public_and_lists_paths(client, db):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/tickets" in schema["paths"] and "/api/v1/tickets/{number}" in schema["paths"]


def test_get_ticket_carries_the_contract_fields(cast, client):
    t = new_ticket(cast)
    r = client.get(f"/api/v1/tickets/{t.number}", **auth(cast.agent))
    assert r.status_code == 200
    body = r.json()
    assert TICKET_FIELDS <= set(body)
    assert body["entitlement"]["status"] == "covered"
    assert body["organization"] == "Alfa s.r.o."
    assert body["first_response_due"] is not None


def test_customer_gets_404_for_other_organizations_ticket(cast, client):
    t = new_ticket(cast, contact=cast.contact_b)
    r = client.get(f"/api/v1/tickets/{t.number}", **auth(cast.contact_a.user))
    assert r.status_code == 404
    assert r.json() == {"detail": "Nenalezeno."}


def test_list_filters_and_pages(cast, client):
    new_ticket(cast, subject="Požadavek na úpravu sestavy")
    t2 = new_ticket(cast, subject="Chyba importu", contact=cast.contact_b)
    for _ in range(3):
        new_ticket(cast, subject="Další")
    h = auth(cast.agent)
    assert client.get("/api/v1/tickets", **h).json()["count"] == 5
    found = client.get("/api/v1/tickets", {"q": "pozadavek UPRAVU"}, **h).json()
    assert [r["subject"] for r in found["results"]] == ["Požadavek na úpravu sestavy"]
    by_org = client.get("/api/v1/tickets", {"organization": cast.org_b.ico}, **h).json()
    assert [r["number"] for r in by_org["results"]] == [t2.number]
    assert client.get("/api/v1/tickets", {"state": "closed"}, **h).json()["count"] == 0
    page = client.get("/api/v1/tickets", {"page": 2, "page_size": 2}, **h).json()
    assert page["page"] == 2 and len(page["results"]) == 2


def test_list_query_count_is_constant(cast, client, django_assert_max_num_queries):
    h = auth(cast.agent)
    for _ in range(3):
        new_ticket(cast)
    with django_assert_max_num_queries(6):
        client.get("/api/v1/tickets", **h)
    for _ in range(20):
        new_ticket(cast)
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/tickets", **h).json()["count"] == 23


def test_customer_files_ticket_for_own_organization(cast, client):
    r = client.post(
        "/api/v1/tickets",
        {
            "subject": "Dotaz k exportu",
            "body": "Jak exportovat?",
            "product": "erp",
            "version": "5.0",
        },
        content_type="application/json",
        **auth(cast.contact_a.user),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["channel"] == "api" and body["organization"] == "Alfa s.r.o."
    assert body["number"].startswith("AC-")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"subject": "x", "body": "y", "product": "erp", "version": "9.9"}, "version"),
        ({"subject": "x", "body": "y", "product": "nope"}, "product"),
        ({"subject": "", "body": "y"}, "subject"),
        ({"subject": "x", "body": "y", "impact": 9}, "impact"),
        ({"body": "y"}, "subject"),
    ],
)
def test_invalid_post_names_the_field_and_stores_nothing(cast, client, payload, field):
    from podpora.tickets.models import Ticket

    r = client.post(
        "/api/v1/tickets", payload, content_type="application/json", **auth(cast.contact_a.user)
    )
    assert r.status_code == 422
    body = r.json()
    assert body["detail"] and field in body["fields"]
    assert Ticket.objects.count() == 0


def test_staff_files_ticket_for_organization_by_ico(cast, client):
    r = client.post(
        "/api/v1/tickets",
        {
            "subject": "Telefonát",
            "body": "Volal zákazník",
            "organization": cast.org_b.ico,
            "contact_email": cast.contact_b.email,
        },
        content_type="application/json",
        **auth(cast.agent),
    )
    assert r.status_code == 201, r.content
    assert r.json()["organization"] == "Beta a.s."


def test_create_api_token_command(cast, capsys):
    from django.core.management import call_command

    call_command("create-api-token", "agent")
    token = capsys.readouterr().out.strip()
    assert token.startswith("pod_")
    from podpora.accounts.services import user_for_token

    assert user_for_token(token) == cast.agent


def test_the_docs_page_is_served_from_the_installed_package(client):
    """Our CSP allows no CDN: Swagger UI comes from django-ninja's own static files."""
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert "<script>" not in html  # no inline script: the settings are JSON data
    script = client.get("/static/ninja/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert b"".join(script.streaming_content)[:100]


def test_openapi_names_every_status_an_endpoint_answers(client, db):
    """The schema documents the errors each endpoint gives, each with its body."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    answers = {
        ("/api/v1/tickets", "get"): {"200", "401", "422", "503"},
        ("/api/v1/tickets", "post"): {"201", "400", "401", "403", "422", "503"},
        ("/api/v1/tickets/{number}", "get"): {"200", "401", "404", "503"},
    }
    for (path, method), codes in answers.items():
        responses = paths[path][method]["responses"]
        assert set(responses) == codes, (path, method)
        for code in codes - {"200", "201"}:
            assert "content" in responses[code], (path, method, code)


def test_a_body_that_is_not_json_is_a_400_with_a_detail(client, cast):
    r = client.post(
        "/api/v1/tickets",
        data="{not json",
        content_type="application/json",
        **auth(cast.contact_a.user),
    )
    assert r.status_code == 400, r.content
    assert r.json()["detail"]
