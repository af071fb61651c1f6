"""Portal and console through Django's test client: access, forms, errors, query counts."""

import pytest
from django.urls import reverse

from podpora.tickets.models import Article, Ticket
from tests.conftest import new_ticket


def test_healthz_names_its_checks(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "task_queue": "ok"}


def test_healthz_reports_a_failing_part(client, db, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def broken(*a, **k):
        raise RuntimeError("queue table missing")

    monkeypatch.setattr(DBTaskResult.objects, "filter", broken)
    r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json()["failing"] == ["task_queue"]


def test_anonymous_is_sent_to_login(client, db):
    r = client.get("/portal/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_login_page_is_czech_by_default(client, db):
    r = client.get("/accounts/login/")
    assert "Přihlášení do Centra podpory" in r.content.decode()


def test_customer_files_ticket_in_portal(cast, client):
    client.force_login(cast.contact_a.user)
    r = client.post(
        reverse("portal:new"),
        {
            "subject": "Chyba v uzávěrce",
            "type": "incident",
            "product": cast.product.pk,
            "version": cast.version.pk,
            "impact": 1,
            "urgency": 1,
            "body": "Uzávěrka skončí chybou.",
        },
    )
    t = Ticket.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("portal:detail", args=[t.number])
    assert t.priority == 1 and t.contact == cast.contact_a and t.channel == "portal"
    page = client.get(r["Location"]).content.decode()
    assert "Chyba v uzávěrce" in page and "Uzávěrka skončí chybou." in page


def test_portal_form_error_is_shown_and_nothing_stored(cast, client):
    from podpora.catalog.models import Version

    other = Version.objects.create(product=cast.other_product, name="9")
    client.force_login(cast.contact_a.user)
    r = client.post(
        reverse("portal:new"),
        {
            "subject": "",
            "type": "question",
            "impact": 2,
            "urgency": 2,
            "body": "x",
            "version": other.pk,
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Toto pole je třeba vyplnit." in html
    assert Ticket.objects.count() == 0


def test_customer_cannot_open_other_organizations_ticket(cast, client):
    t = new_ticket(cast, contact=cast.contact_b)
    client.force_login(cast.contact_a.user)
    r = client.get(reverse("portal:detail", args=[t.number]))
    assert r.status_code == 404
    assert "neexistuje" in r.content.decode()
    r = client.post(reverse("portal:message", args=[t.number]), {"body": "vloupání"})
    assert r.status_code == 404
    assert Article.objects.filter(ticket=t).count() == 1


def test_customer_does_not_see_internal_notes(cast, client):
    from podpora.tickets import services

    t = new_ticket(cast)
    services.add_note(t, "TAJNÁ POZNÁMKA", actor=cast.agent)
    client.force_login(cast.contact_a.user)
    assert (
        "TAJNÁ POZNÁMKA"
        not in client.get(reverse("portal:detail", args=[t.number])).content.decode()
    )
    client.force_login(cast.agent)
    assert "TAJNÁ POZNÁMKA" in client.get(reverse("desk:detail", args=[t.number])).content.decode()


def test_customer_cannot_reach_console(cast, client):
    t = new_ticket(cast)
    client.force_login(cast.contact_a.user)
    assert client.get(reverse("desk:queue")).status_code == 404
    assert client.post(reverse("desk:reply", args=[t.number]), {"body": "x"}).status_code == 404


def test_agent_of_other_vendor_gets_404(cast, client):
    t = new_ticket(cast)
    client.force_login(cast.other_agent)
    assert client.get(reverse("desk:detail", args=[t.number])).status_code == 404


def test_agent_answers_and_customer_sees_answer(cast, client):
    t = new_ticket(cast)
    client.force_login(cast.agent)
    r = client.post(
        reverse("desk:reply", args=[t.number]),
        {"body": "Zkuste prosím verzi 5.1.", "state": "resolved"},
    )
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.state == "resolved" and t.first_responded_at is not None
    client.force_login(cast.contact_a.user)
    page = client.get(reverse("portal:detail", args=[t.number])).content.decode()
    assert "Zkuste prosím verzi 5.1." in page and "vyřešen" in page


def test_console_actions(cast, client):
    t = new_ticket(cast)
    client.force_login(cast.agent)
    client.post(reverse("desk:priority", args=[t.number]), {"impact": 1, "urgency": 1})
    client.post(reverse("desk:assign", args=[t.number]), {"assignee": cast.agent.pk})
    client.post(reverse("desk:escalate", args=[t.number]), {"reason": "Analýza dat"})
    client.post(
        reverse("desk:entitlement", args=[t.number]), {"status": "billable", "note": "Mimo rozsah"}
    )
    client.post(reverse("desk:note", args=[t.number]), {"body": "Interní"})
    t.refresh_from_db()
    assert (t.priority, t.level, t.entitlement_status, t.entitlement_overridden) == (
        1,
        2,
        "billable",
        True,
    )
    assert t.assignee is None  # escalation hands the ticket to the next level


def test_illegal_state_change_shows_error(cast, client):
    t = new_ticket(cast)
    client.force_login(cast.agent)
    r = client.post(reverse("desk:state", args=[t.number]), {"state": "closed"}, follow=True)
    assert "nelze přejít" in r.content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_queue_renders_with_constant_queries(cast, client, django_assert_max_num_queries, n):
    for _ in range(n):
        new_ticket(cast)
    client.force_login(cast.agent)
    # the page, its count, every overview's count in one, saved views, the filters' choices
    with django_assert_max_num_queries(16):
        r = client.get(reverse("desk:queue"))
    assert r.content.decode().count('class="prio-') == n


def test_portal_list_constant_queries(cast, client, django_assert_max_num_queries):
    for _ in range(25):
        new_ticket(cast)
    client.force_login(cast.contact_a.user)
    with django_assert_max_num_queries(8):
        client.get(reverse("portal:list"))


def test_attachment_download_is_forced_and_checked(cast, client):
    from podpora.tickets.services import IncomingFile

    t = new_ticket(
        cast, files=[IncomingFile("zprava.html", "text/html", b"<script>alert(1)</script>")]
    )
    att = Article.objects.get(ticket=t).attachments.get()
    url = reverse("attachment", args=[t.number, att.pk])
    client.force_login(cast.contact_a.user)
    r = client.get(url)
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("attachment")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Type"] == "application/octet-stream"
    client.force_login(cast.contact_b.user)
    assert client.get(url).status_code == 404


def test_public_webform_creates_unverified_ticket_and_private_link(cast, client):
    r = client.post(
        reverse("webform", args=["acme"]),
        {
            "name": "Karel Zvědavý",
            "email": "karel@example.cz",
            "subject": "Cena licence?",
            "body": "Kolik stojí?",
        },
    )
    assert r.status_code == 302
    t = Ticket.objects.get()
    assert (
        t.channel == "webform" and not t.sender_verified and t.requester_email == "karel@example.cz"
    )
    assert len(t.public_token) >= 20
    page = client.get(reverse("portal:public", args=[t.public_token]))
    assert "Cena licence?" in page.content.decode()
    assert client.get(reverse("portal:public", args=["x" * 32])).status_code == 404


def test_webform_honeypot_and_rate_limit(cast, client, monkeypatch):
    from django.core.cache import cache

    from podpora.core import ratelimit
    from podpora.portal import webform

    cache.clear()
    delays = []
    monkeypatch.setattr(ratelimit, "_sleep", delays.append)
    monkeypatch.setattr(webform, "LIMIT_PER_HOUR", 3)
    monkeypatch.setattr(webform, "HARD_LIMIT_PER_HOUR", 5)
    data = {
        "name": "Bot",
        "email": "bot@example.cz",
        "subject": "spam",
        "body": "spam",
        "website": "http://x",
    }
    r = client.post(reverse("webform", args=["acme"]), data)
    assert r.status_code == 200 and Ticket.objects.count() == 0
    data["website"] = ""
    for _ in range(5):
        client.post(reverse("webform", args=["acme"]), data)
    r = client.post(reverse("webform", args=["acme"]), data)
    assert "Příliš mnoho dotazů" in r.content.decode()
    assert 'value="Bot"' in r.content.decode()  # what was typed is shown again
    assert Ticket.objects.count() == 5
    assert delays == [0.5, 1.0, 1.5]  # the 4th and 5th slowed down, then refused (and slowed)


def test_language_switch_to_english(cast, client):
    client.force_login(cast.contact_a.user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/portal/"})
    html = client.get("/portal/").content.decode()
    assert "New request" in html or "Nový požadavek" not in html


def test_security_headers(client, db):
    r = client.get("/accounts/login/")
    assert "script-src 'self'" in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "DENY"


def test_the_upload_limit_is_said_right_under_one_megabyte(cast, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_ATTACHMENT_BYTES = 500 * 1024
    client.force_login(cast.contact_a.user)
    big = SimpleUploadedFile("vypis.log", b"x" * (600 * 1024), content_type="text/plain")
    data = {"subject": "Výpis", "type": "question", "impact": 2, "urgency": 2, "body": "Log."}
    r = client.post(reverse("portal:new"), {**data, "files": big})
    html = r.content.decode()
    assert r.status_code == 200 and Ticket.objects.count() == 0
    assert "Soubor vypis.log je větší, než je povoleno (500,0\xa0KB)." in html
    assert "0 MB" not in html
    assert 'value="Výpis"' in html  # what was typed is kept
