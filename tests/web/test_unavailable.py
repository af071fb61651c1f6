"""The database down: 503 with Retry-After, a page in the person's language (JSON for the
API), and what they typed shown again in a form that sends it once more."""

from __future__ import annotations

from django.db import OperationalError


def _down(*_args, **_kwargs):
    raise OperationalError("connection refused")


def test_a_form_sent_while_the_database_is_down_is_shown_again(client, cast, monkeypatch):
    from podpora.tickets import services

    client.force_login(cast.contact_a.user)
    monkeypatch.setattr(services, "create_ticket", _down)
    r = client.post(
        "/portal/new/",
        {"subject": "Uzávěrka <padá>", "type": "question", "impact": 2, "urgency": 2,
         "body": "Dobrý den,\nuzávěrka skončí chybou.\nDěkuji"},
    )  # fmt: skip
    assert r.status_code == 503 and r["Retry-After"] == "30"
    html = r.content.decode()
    assert "Databáze je dočasně nedostupná" in html and 'lang="cs"' in html
    assert "Dobrý den,\nuzávěrka skončí chybou.\nDěkuji</textarea>" in html
    assert 'value="Uzávěrka &lt;padá&gt;"' in html  # escaped, kept
    assert 'action="/portal/new/"' in html and 'name="csrfmiddlewaretoken"' in html
    assert "Traceback" not in html and "connection refused" not in html


def test_the_page_speaks_the_persons_language_and_keeps_no_password(client, cast, monkeypatch):
    from podpora.accounts import login

    monkeypatch.setattr(login.LoginForm, "clean", _down)
    client.cookies["django_language"] = "en"
    r = client.post("/accounts/login/", {"username": "alena", "password": "tajne-heslo"})
    assert r.status_code == 503
    html = r.content.decode()
    assert "The database is temporarily unavailable" in html and 'lang="en"' in html
    assert "tajne-heslo" not in html and 'value="alena"' in html


def test_the_api_answers_json(client, cast, monkeypatch):
    from podpora.accounts import access
    from tests.api.test_api import auth

    headers = auth(cast.agent)
    monkeypatch.setattr(access, "visible_tickets", _down)
    r = client.get("/api/v1/tickets", **headers)
    assert r.status_code == 503 and r["Retry-After"] == "30"
    assert r.json()["detail"].startswith("Databáze je dočasně nedostupná")


def test_the_session_lost_in_a_middleware_is_a_503_not_a_500(client, cast, monkeypatch):
    """The database can go before any view runs: reading the session for the log-in."""
    from django.contrib.sessions.backends import db as session_db

    client.force_login(cast.contact_a.user)
    client.raise_request_exception = False  # as served: the error goes to the 500 handler
    monkeypatch.setattr(session_db.SessionStore, "load", _down)
    client.cookies["django_language"] = "sk"
    r = client.get("/portal/")
    assert r.status_code == 503 and r["Retry-After"] == "30"
    html = r.content.decode()
    assert 'lang="sk"' in html and "Traceback" not in html
