"""The hotline's phone form: identification checked in one pass, nothing stored on an error,
the ticket filed through the ticket services and its entitlement shown at once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from podpora.billing.models import TimeEntry
from podpora.tickets.models import Article, Event, Ticket

from .conftest import staff

URL = "/desk/phone/"


def load(seed, slug):
    """Calls are registered now, so the vendor's dates count from the real today."""
    return seed(slug, timezone.localdate())


def call(**fields):
    data = {
        "licence_number": "",
        "ico": "",
        "first_name": "",
        "last_name": "",
        "version": "",
        "subject": "Nejde tisk sestavy",
        "body": "Volající popsal chybu při tisku.",
        "type": "question",
        "impact": 2,
        "urgency": 2,
        "duration": 12,
        "answer": "",
    }
    data.update(fields)
    return data


def nothing_stored():
    return (
        not Ticket.objects.exists() and not Article.objects.exists() and not Event.objects.exists()
    )


@pytest.fixture
def estelar(seed, client):
    load(seed, "intouch")  # another vendor's product and versions exist too
    vendor = load(seed, "estelar")
    client.force_login(staff("estelar-agent"))
    return vendor


def test_unknown_licence_and_foreign_version_are_both_reported_and_nothing_is_stored(
    client, estelar
):
    r = client.post(URL, call(licence_number="ACS-9999-0000", version="10.0"))
    page = r.content.decode()
    assert r.status_code == 200
    assert "Licence ACS-9999-0000 u dodavatele ESTELAR neexistuje." in page
    assert "Verze 10.0 u produktu ACS-line neexistuje." in page
    assert nothing_stored()


def test_version_of_another_product_is_refused(client, estelar):
    r = client.post(URL, call(licence_number="ACS-2026-0147", version="10.0"))
    assert "Verze 10.0 u produktu ACS-line neexistuje." in r.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize(
    "fields,message",
    [
        ({}, "Zadejte licenční číslo, nebo IČO či název společnosti a jméno a příjmení volajícího."),
        ({"ico": "12345678"}, "není platné"),
        ({"ico": "25596641", "first_name": "A", "last_name": "B"}, "není zákazníkem dodavatele"),
        ({"ico": "{ico}"}, "Uveďte jméno i příjmení volajícího."),
        ({"ico": "{ico}", "first_name": "Jan", "last_name": "Neznámý"},
         "není kontaktní osoba Jan Neznámý"),
        ({"licence_number": "ACS-2026-0147", "ico": "{other_ico}"}, "patří jiné organizaci"),
        ({"licence_number": "ACS-2026-0147", "duration": 0}, "Hodnota musí být větší nebo rovna 1."),
    ],
)  # fmt: skip
def test_identification_errors_in_czech(client, estelar, fields, message):
    from podpora.customers.models import Organization

    icos = {o.name: o.ico for o in Organization.objects.filter(vendor=estelar)}
    subst = {"ico": icos["Obec Rusava"], "other_ico": icos["Zámečnictví Zlín s.r.o."]}
    fields = {k: v.format(**subst) if isinstance(v, str) else v for k, v in fields.items()}
    r = client.post(URL, call(**fields))
    assert r.status_code == 200 and message in r.content.decode()
    assert nothing_stored()


def test_estelar_call_with_the_licence_is_covered_by_start(client, estelar):
    r = client.post(
        URL,
        call(
            licence_number="acs-2026-0147",
            first_name="Josef",
            last_name="Kratochvil",
            version="6.0",
            answer="Poradil jsem nastavení tiskárny.",
        ),
    )
    ticket = Ticket.objects.get()
    assert r.status_code == 302 and r["Location"] == f"{URL}?ticket={ticket.number}"
    assert ticket.channel == "phone" and ticket.licence.number == "ACS-2026-0147"
    assert ticket.contact.full_name == "Josef Kratochvíl" and ticket.version.name == "6.0"
    assert (ticket.entitlement_status, ticket.plan.name) == ("covered", "HOTLINE START")
    call_article = ticket.articles.get(kind="phone", body="Poradil jsem nastavení tiskárny.")
    assert call_article.duration_minutes == 12 and ticket.first_responded_at is not None
    assert list(TimeEntry.objects.values_list("mode", "minutes")) == [("covered", 12)]
    page = client.get(r["Location"]).content.decode()
    assert ticket.number in page and "v rámci smlouvy" in page and "HOTLINE START" in page


def test_estelar_call_after_start_shows_the_rate(client, estelar):
    client.post(URL, call(licence_number="ACS-2025-0031", first_name="Pavel", last_name="Bartoš"))
    ticket = Ticket.objects.get()
    assert (ticket.entitlement_status, ticket.entitlement_reason) == ("billable", "warranty_only")
    page = client.get(f"{URL}?ticket={ticket.number}").content.decode()
    assert "placené" in page and "900,00 Kč/h bez DPH" in page


def test_hrplus_call_by_ico_and_name_is_drawn_from_the_package(client, seed):
    from podpora.customers.models import Organization

    vendor = load(seed, "hrplus")
    client.force_login(staff("hrplus-agent"))
    ico = Organization.objects.get(vendor=vendor, name="Pekárna Horák s.r.o.").ico
    r = client.post(URL, call(ico=ico, first_name="martin", last_name="HORAK", duration=25))
    ticket = Ticket.objects.get()
    assert ticket.contact.full_name == "Martin Horák"
    assert (ticket.entitlement_status, ticket.entitlement_reason) == (
        "billable",
        "channel_billable",
    )
    assert list(TimeEntry.objects.values_list("mode", "minutes")) == [("prepaid", 25)]
    page = client.get(r["Location"]).content.decode()
    assert "zbývá 575 min" in page and "z předplaceného balíku" in page


def test_intouch_call_without_the_version_is_refused_with_the_reason(client, seed):
    from podpora.customers.models import Organization

    vendor = load(seed, "intouch")
    client.force_login(staff("intouch-agent"))
    ico = Organization.objects.get(vendor=vendor, name="Autodíly Ústí s.r.o.").ico
    r = client.post(URL, call(ico=ico, first_name="Lukáš", last_name="Procházka"))
    ticket = Ticket.objects.get()
    assert (ticket.entitlement_status, ticket.entitlement_reason) == (
        "rejected",
        "version_not_stated",
    )
    assert not TimeEntry.objects.exists()
    page = client.get(r["Location"]).content.decode()
    assert "mimo podporu" in page and ticket.entitlement_detail in page


def test_other_vendors_ticket_is_not_shown(client, estelar, seed):
    client.post(URL, call(licence_number="ACS-2026-0147"))
    number = Ticket.objects.get().number
    load(seed, "hrplus")
    client.force_login(staff("hrplus-agent"))
    assert client.get(f"{URL}?ticket={number}").status_code == 404


def test_customers_have_no_phone_form(client, estelar):
    client.force_login(staff("estelar-kratochvil"))
    assert client.get(URL).status_code == 404


def test_estelar_licence_number_alone_identifies_the_licensee(client, estelar):
    """ESTELAR's page: the licence number, given on every call, checks the service."""
    client.post(URL, call(licence_number="ACS-2026-0147", first_name="Nový", last_name="Kolega"))
    ticket = Ticket.objects.get()
    assert ticket.contact is None and ticket.requester_name == "Nový Kolega"
    assert ticket.entitlement_status == "covered"
