"""Where people pick the kind of request: the portal, the public form, the phone form, and
the console's reclassification. Each offers the vendor's kinds with what support says."""

from __future__ import annotations

from django.utils import timezone

from podpora.customers.models import Organization
from podpora.tickets.models import Ticket
from tests.billing.conftest import _clean_cache, contact, seed, staff  # noqa: F401


def test_portal_offers_the_kinds_and_files_the_one_picked(client, seed):  # noqa: F811
    seed("hrplus", timezone.localdate())
    novak = contact("hrplus-novak")
    client.force_login(novak.user)
    page = client.get("/portal/new/").content.decode()
    assert "Druh požadavku" in page
    assert "Školení produktu – není součástí podpory" in page
    r = client.post(
        "/portal/new/",
        {
            "subject": "Školení nových mzdových účetních",
            "type": "question",
            "scope": "training",
            "impact": 2,
            "urgency": 2,
            "body": "Potřebujeme zaškolit dvě nové kolegyně.",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    ticket = Ticket.objects.get()
    assert (ticket.scope, ticket.entitlement_status) == ("training", "rejected")
    detail = client.get(r["Location"]).content.decode()
    assert "Školení produktu" in detail  # the kind and the reason, in words
    assert "mimo podporu" in detail and "training" not in detail


def test_portal_refuses_a_kind_that_is_not_offered(client, seed):  # noqa: F811
    seed("hrplus", timezone.localdate())
    client.force_login(contact("hrplus-novak").user)
    r = client.post(
        "/portal/new/",
        {"subject": "X", "type": "question", "scope": "gardening", "impact": 2, "urgency": 2,
         "body": "Y"},
    )  # fmt: skip
    assert r.status_code == 200 and not Ticket.objects.exists()


def test_public_form_picks_the_kind(client, seed):  # noqa: F811
    seed("hrplus", timezone.localdate())
    page = client.get("/dotaz/hrplus/").content.decode()
    assert "Integrace s produkty třetích stran – není součástí podpory" in page
    r = client.post(
        "/dotaz/hrplus/",
        {
            "name": "Jana Tazatelová",
            "email": "jana@example.cz",
            "company": "",
            "scope": "third_party",
            "subject": "Napojení na docházkový systém",
            "body": "Umíte napojit náš docházkový systém?",
            "website": "",
        },
    )
    assert r.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.scope, ticket.entitlement_reason) == ("third_party", "out_of_scope")


def test_phone_form_picks_the_kind_on_the_phone_channel(client, seed):  # noqa: F811
    vendor = seed("cloudempiere", timezone.localdate())
    client.force_login(staff("cloudempiere-agent"))
    page = client.get("/desk/phone/").content.decode()
    assert "Manipulácia s užívateľskými dátami" in page or "Práce s uživatelskými daty" in page
    ico = Organization.objects.get(vendor=vendor, name="Tatra Obchod s.r.o.").ico
    r = client.post(
        "/desk/phone/",
        {
            "ico": ico,
            "first_name": "Marek",
            "last_name": "Kováč",
            "licence_number": "",
            "version": "",
            "subject": "Oprava dat v účtovníctve",
            "body": "Prosí, aby sme mu opravili doklady priamo v systéme.",
            "type": "question",
            "scope": "user_data",
            "impact": 2,
            "urgency": 2,
            "duration": 5,
            "answer": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.scope) == ("phone", "user_data")
    assert (ticket.entitlement_status, ticket.entitlement_reason) == ("rejected", "out_of_scope")


def test_console_reclassifies(client, seed):  # noqa: F811
    from tests.billing.conftest import file_ticket

    vendor = seed("intouch", timezone.localdate())
    ticket = file_ticket(vendor, "intouch-prochazka", channel="email", on=timezone.localdate())
    client.force_login(staff("intouch-agent"))
    page = client.get(f"/desk/tickets/{ticket.number}/").content.decode()
    assert 'id="reclassify-form"' in page and "Servisní zásah u zákazníka" in page
    r = client.post(
        f"/desk/tickets/{ticket.number}/reclassify/", {"scope": "installation", "type": "service"}
    )
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.scope, ticket.type, ticket.entitlement_status) == (
        "installation",
        "service",
        "rejected",
    )
    page = client.get(f"/desk/tickets/{ticket.number}/").content.decode()
    assert "Instalace nebo aktualizace programu" in page
