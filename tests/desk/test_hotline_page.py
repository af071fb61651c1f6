"""The hotline page: the caller's card before anything is saved (the entitlement as the engine
decides it for the call), the caller-ID hand-off, unconfirmed callers marked, a call onto an
open ticket."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podpora.accounts.models import User
from podpora.billing.models import TimeEntry
from podpora.customers.models import Contact, Licence
from podpora.demo import demo_phone
from podpora.tickets.models import Article, Event, Ticket

URL = "/desk/phone/"


@pytest.fixture
def vendors(seed):
    today = timezone.localdate()
    return {slug: seed(slug, today) for slug in ("hrplus", "estelar", "intouch")}


def agent(client, slug):
    client.force_login(User.objects.get(username=f"{slug}-agent"))


def person(username):
    return Contact.objects.select_related("organization").get(user__username=username)


def card_url(org, contact=None, licence=None, version=None, **extra):
    params = {"org": org.pk}
    if contact is not None:
        params["contact"] = contact.pk
    if licence is not None:
        params["licence"] = licence.pk
    if version is not None:
        params["version"] = version.pk
    return f"{URL}?{urlencode(params | extra)}"


def form_initial(page: str) -> dict:
    """The registration form's fields as the page filled them in."""
    values = dict(re.findall(r'<input type="text" name="(\w+)" value="([^"]*)"', page))
    return values


def registered(client, url, page, **fields):
    data = {k: v for k, v in form_initial(page).items()}
    data |= {"subject": "Dotaz k mzdám", "body": "Volající se ptá.", "type": "question"}
    data |= {"impact": 2, "urgency": 2, "duration": 7, "answer": ""} | fields
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    return Ticket.objects.latest("pk")


# (vendor, person, with the licence number, version name, entitlement code previewed)
PREVIEWS = [
    ("estelar", "estelar-kratochvil", True, "6.0", "covered"),  # HOTLINE START
    ("estelar", "estelar-kratochvil", False, "6.0", "licence_required"),  # "nutné nahlásit"
    ("estelar", "estelar-bartos", True, None, "warranty_only"),
    ("estelar", "estelar-vesela", True, None, "covered"),
    ("hrplus", "hrplus-novak", False, None, "covered"),
    ("hrplus", "hrplus-horak", False, None, "channel_billable"),  # one-time order: prepaid
    ("intouch", "intouch-prochazka", False, None, "version_not_stated"),
    ("intouch", "intouch-prochazka", False, "latest", "covered"),
]


@pytest.mark.parametrize("slug,username,by_licence,version,code", PREVIEWS)
def test_preview_is_the_engines_answer_and_writes_nothing(
    client, vendors, slug, username, by_licence, version, code
):
    agent(client, slug)
    contact = person(username)
    org = contact.organization
    licence = Licence.objects.filter(organization=org).first() if by_licence else None
    chosen = None
    if version == "latest":
        product = Licence.objects.filter(organization=org).first().product
        chosen = product.versions.order_by("-released_on").first()
    elif version:
        chosen = Licence.objects.filter(organization=org).first().product.versions.get(name=version)
    url = card_url(org, contact, licence, chosen)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    writes = [
        q["sql"] for q in ctx.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"])
    ]
    assert writes == [] and not Ticket.objects.exists() and not Event.objects.exists()
    assert 'id="caller-card"' in page and org.name in page
    from podpora.desk import lookup

    card = lookup.caller(org, contact=contact, licence=licence, version=chosen)
    assert card.entitlement["code"] == code
    shown = re.search(r'id="preview-entitlement">(.*?)</dd>', page, re.S).group(1)
    assert card.entitlement["reason"] in shown.replace("&#x27;", "'").replace("&quot;", '"')
    # registered as the page filled the form in: the ticket says what the preview said
    ticket = registered(client, url, page)
    assert (ticket.entitlement_status, ticket.entitlement_reason) == (
        card.entitlement["status"],
        code,
    )


def test_card_shows_contracts_balance_free_minutes_and_open_tickets(client, vendors):
    agent(client, "hrplus")
    horak = person("hrplus-horak")
    page = client.get(card_url(horak.organization, horak)).content.decode()
    assert "zbývá 600 min" in page  # the prepaid package
    assert "Jednorázová objednávka" in page or "platí" in page
    novak = person("hrplus-novak")
    page = client.get(card_url(novak.organization, novak)).content.decode()
    assert re.search(r"zbývá \d+ z \d+ min", page)  # free phone consultations this month
    open_numbers = Ticket.objects.filter(organization=novak.organization).values_list(
        "number", flat=True
    )
    assert all(n in page for n in open_numbers)


def test_version_support_is_shown(client, vendors):
    agent(client, "estelar")
    bartos = person("estelar-bartos")
    licence = bartos.organization.licences.first()
    version = licence.product.versions.order_by("released_on").first()
    page = client.get(card_url(bartos.organization, bartos, licence, version)).content.decode()
    assert 'class="version-support' in page
    assert version.name in re.search(r'class="version-support.*?</dd>', page, re.S).group(0)


def test_another_vendors_organisation_is_not_shown(client, vendors):
    agent(client, "estelar")
    novak = person("hrplus-novak")
    page = client.get(card_url(novak.organization, novak)).content.decode()
    assert 'id="caller-card"' not in page and "Strojírny" not in page


@pytest.mark.parametrize("org", ["abc", "99999999999999999999999999", "-1"])
def test_bad_ids_in_the_url_are_no_error(client, vendors, org):
    agent(client, "hrplus")
    r = client.get(f"{URL}?org={org}&contact={org}&version={org}&licence={org}")
    assert r.status_code == 200 and 'id="caller-card"' not in r.content.decode()


@pytest.mark.parametrize(
    "written",
    [
        lambda e164: e164,
        lambda e164: "00" + e164[1:],
        lambda e164: e164[4:7] + " " + e164[7:10] + " " + e164[10:],
    ],
)
def test_caller_id_hand_off_opens_the_page_with_the_caller_found(client, vendors, written):
    from podpora.customers.phones import normalize

    agent(client, "hrplus")
    e164 = normalize(demo_phone("hrplus-dvorakova"))
    page = client.get(URL, {"number": written(e164)}).content.decode()
    assert 'id="caller-card"' in page and "Eva Dvořáková" in page
    initial = form_initial(page)
    assert (initial["first_name"], initial["last_name"]) == ("Eva", "Dvořáková")
    assert initial["ico"] == person("hrplus-dvorakova").organization.ico


def test_caller_id_of_an_unknown_number(client, vendors):
    agent(client, "estelar")  # Eva Dvořáková is HR Plus's
    e164 = demo_phone("hrplus-dvorakova")
    page = client.get(URL, {"number": e164}).content.decode()
    assert "v evidenci není" in page and 'id="caller-card"' not in page


def test_unconfirmed_person_is_marked_and_the_ticket_unverified(client, vendors):
    from podpora.customers import people

    agent(client, "hrplus")
    org = person("hrplus-novak").organization
    new = people.record_caller(org, "Karel", "Nový", "karel@example.cz")
    hits = client.get("/desk/phone/lookup/", {"q": "karel novy"}).json()["hits"]
    assert [h["unconfirmed"] for h in hits] == [True]
    url = card_url(org, new)
    page = client.get(url).content.decode()
    assert "neověřená osoba" in page and "Dokud ji správce zákazníka nepotvrdí" in page
    ticket = registered(client, url, page)
    assert ticket.contact == new and not ticket.sender_verified
    detail = client.get(f"/desk/tickets/{ticket.number}/").content.decode()
    assert "neověřená osoba" in detail
    # once the customer admin confirms, the mark is gone
    people.confirm_person(person("hrplus-novak"), new)
    assert "neověřená osoba" not in client.get(card_url(org, new)).content.decode()


def test_confirmed_people_are_not_marked(client, vendors):
    agent(client, "hrplus")
    novak = person("hrplus-novak")
    page = client.get(card_url(novak.organization, novak)).content.decode()
    assert "neověřená osoba" not in page
    ticket = registered(client, card_url(novak.organization, novak), page)
    assert ticket.sender_verified
    assert "neověřená osoba" not in client.get(f"/desk/tickets/{ticket.number}/").content.decode()


def test_call_onto_an_open_ticket(client, vendors):
    agent(client, "hrplus")
    novak = person("hrplus-novak")
    first = registered(
        client, card_url(novak.organization, novak), client.get(URL).content.decode(),
        ico=novak.organization.ico, first_name="Jan", last_name="Novák",
    )  # fmt: skip
    count = Ticket.objects.count()
    url = card_url(novak.organization, novak, onto=first.number)
    page = client.get(url).content.decode()
    assert "hovor se zapíše sem" in page and form_initial(page)["onto"] == first.number
    r = client.post(
        url,
        form_initial(page)
        | {"type": "question", "impact": 2, "urgency": 2, "duration": 9, "answer": "Poradil."},
    )
    assert r.status_code == 302 and r["Location"].endswith(f"?ticket={first.number}")
    assert Ticket.objects.count() == count
    assert Article.objects.filter(ticket=first, kind="phone", duration_minutes=9).exists()
    assert TimeEntry.objects.filter(ticket=first, minutes=9, channel="phone").exists()


def test_call_onto_another_vendors_or_a_closed_ticket_is_refused(client, vendors):
    agent(client, "estelar")
    data = {"onto": "HR-999999", "type": "question", "impact": 2, "urgency": 2, "duration": 5}
    page = client.post(URL, data).content.decode()
    assert "neexistuje" in page and not Ticket.objects.exists()


def test_subject_and_body_are_still_required_for_a_new_ticket(client, vendors):
    agent(client, "hrplus")
    novak = person("hrplus-novak")
    data = {"ico": novak.organization.ico, "first_name": "Jan", "last_name": "Novák"}
    data |= {"type": "question", "impact": 2, "urgency": 2, "duration": 5}
    page = client.post(URL, data).content.decode()
    assert "Uveďte předmět požadavku." in page and "Popište požadavek." in page
    assert not Ticket.objects.exists()


def test_look_up_without_javascript(client, vendors):
    agent(client, "hrplus")
    page = client.get(URL, {"q": "dvorakova"}).content.decode()
    assert "Eva Dvořáková" in page and "?org=" in page
    page = client.get(URL, {"q": "nikdo takovy"}).content.decode()
    assert "Nikdo takový v evidenci není." in page
