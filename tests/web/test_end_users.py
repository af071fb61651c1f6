"""Who may file: an end user of a customer is told, on every channel, that only the
organisation's authorised persons file requests, and who they are; nothing is stored."""

from django.core import mail

from podpora.accounts.services import create_api_token
from podpora.tickets.models import Ticket

NEW = {"subject": "Nejde tisk", "type": "question", "impact": "2", "urgency": "2", "body": "Pomoc"}


def test_the_portal_shows_whom_to_ask_and_stores_nothing(cast, client):
    client.force_login(cast.end_user_a.user)
    for response in (client.get("/portal/new/"), client.post("/portal/new/", NEW)):
        assert response.status_code == 403
        page = response.content.decode()
        assert "Požadavky nemůžete zadávat" in page
        assert "Adam Král" in page and "Alena Nováková" in page
        assert 'name="subject"' not in page
    assert Ticket.objects.count() == 0 and mail.outbox == []


def test_an_authorised_person_still_gets_the_form(cast, client):
    client.force_login(cast.contact_a.user)
    assert 'name="subject"' in client.get("/portal/new/").content.decode()


def test_the_api_refuses_an_end_user_with_the_names(cast, client):
    token = create_api_token(cast.end_user_a.user)
    r = client.post(
        "/api/v1/tickets",
        {"subject": "Nejde tisk", "body": "Pomoc"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 403
    assert "koncový uživatel" in r.json()["detail"] and "Alena Nováková" in r.json()["detail"]
    assert Ticket.objects.count() == 0


def test_the_phone_form_tells_the_agent_and_stores_nothing(cast, client):
    client.force_login(cast.agent)
    r = client.post(
        "/desk/phone/",
        {
            "ico": cast.org_a.ico,
            "first_name": "Eva",
            "last_name": "Malá",
            "subject": "Nejde tisk",
            "body": "Pomoc",
            "type": "question",
            "impact": "2",
            "urgency": "2",
            "duration": "5",
        },
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "Eva Malá je koncový uživatel organizace Alfa s.r.o." in page
    assert "Alena Nováková" in page
    assert Ticket.objects.count() == 0


def test_a_plan_that_serves_end_users_lets_them_file(cast, client):
    cast.plan.serves_end_users = True
    cast.plan.save()
    client.force_login(cast.end_user_a.user)
    assert 'name="subject"' in client.get("/portal/new/").content.decode()
