"""The hotline's look-up: each kind of identifier finds the caller (diacritics and case
ignored), only among the agent's vendor's customers, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podpora.customers.identify import person_key
from podpora.customers.phones import display, normalize
from podpora.demo import demo_phone, make_ico
from podpora.desk import lookup


@pytest.fixture
def vendors(seed):
    today = timezone.localdate()
    return {slug: seed(slug, today) for slug in ("hrplus", "estelar", "intouch")}


def spaced(ico: str) -> str:
    return f"{ico[:3]} {ico[3:5]} {ico[5:]}"


def national(e164: str) -> str:
    """ "+420733123456" as people say it at home: "733 123 456"."""
    digits = e164.removeprefix("+420")
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


# (vendor, what the agent types, kind of the first hit, what it matched, organisation, person)
CASES = [
    ("estelar", "acs-2026-0147", "licence", "licence", "Obec Rusava", ""),
    ("estelar", "ACS-2026-01", "licence", "licence", "Obec Rusava", ""),
    ("estelar", lambda: make_ico(2877312), "organization", "ico", "Obec Rusava", ""),
    ("estelar", lambda: spaced(make_ico(2877312)), "organization", "ico", "Obec Rusava", ""),
    ("hrplus", "strojirny morava", "organization", "company", "Strojírny Morava a.s.", ""),
    ("hrplus", "STROJÍRNY", "organization", "company", "Strojírny Morava a.s.", ""),
    ("hrplus", "Pekarna Horák s.r.o.", "organization", "company", "Pekárna Horák s.r.o.", ""),
    ("hrplus", "dvorakova", "contact", "name", "Strojírny Morava a.s.", "Eva Dvořáková"),
    ("hrplus", "EVA DVOŘ", "contact", "name", "Strojírny Morava a.s.", "Eva Dvořáková"),
    ("hrplus", "Novák Jan", "contact", "name", "Strojírny Morava a.s.", "Jan Novák"),
    ("intouch", "prochazka lukas", "contact", "name", "Autodíly Ústí s.r.o.", "Lukáš Procházka"),
    ("hrplus", "hrplus-dvorakova@zak", "contact", "email", "Strojírny Morava a.s.",
     "Eva Dvořáková"),
    ("hrplus", "HRPLUS-NOVAK@ZAKAZNIK.EXAMPLE", "contact", "email", "Strojírny Morava a.s.",
     "Jan Novák"),
    ("hrplus", lambda: normalize(demo_phone("hrplus-horak")), "contact", "phone",
     "Pekárna Horák s.r.o.", "Martin Horák"),
    ("hrplus", lambda: national(normalize(demo_phone("hrplus-horak"))), "contact", "phone",
     "Pekárna Horák s.r.o.", "Martin Horák"),
    ("hrplus", lambda: "00" + normalize(demo_phone("hrplus-horak"))[1:], "contact", "phone",
     "Pekárna Horák s.r.o.", "Martin Horák"),
]  # fmt: skip


@pytest.mark.parametrize("slug,typed,kind,matched,org,person", CASES)
def test_each_identifier_finds_the_caller(vendors, slug, typed, kind, matched, org, person):
    typed = typed() if callable(typed) else typed
    hits = lookup.find(vendors[slug].pk, typed)
    assert hits, typed
    first = hits[0]
    assert (first.kind, first.matched, first.organization, first.person) == (
        kind,
        matched,
        org,
        person,
    )


@pytest.mark.parametrize(
    "slug,typed",
    [
        ("estelar", "dvorakova"),  # HR Plus's person
        ("hrplus", "acs-2026-0147"),  # ESTELAR's licence
        ("intouch", "strojirny"),  # HR Plus's company
        ("hrplus", "x"),  # too short to look up
        ("hrplus", "Nikdo Takový"),
    ],
)
def test_nothing_outside_the_agents_vendor(vendors, slug, typed):
    assert lookup.find(vendors[slug].pk, typed) == []


def test_end_users_and_deactivated_people_are_not_callers(vendors):
    from podpora.customers.models import Contact

    Contact.objects.filter(first_name="Eva", last_name="Dvořáková").update(is_active=False)
    assert [h.person for h in lookup.find(vendors["hrplus"].pk, "dvorakova")] == []


def test_word_beginnings_only(vendors):
    """ "vak" is inside "Novák", but begins no word: the agent types beginnings."""
    assert lookup.find(vendors["hrplus"].pk, "vak") == []


@pytest.mark.parametrize(
    "first,last,key",
    [
        ("Eva", "Dvořáková", " eva dvorakova "),
        ("JOSEF", "Kratochvíl", " josef kratochvil "),
        ("Anna-Marie", "Šťastná", " anna marie stastna "),
        ("", "", ""),
    ],
)
def test_person_key(first, last, key):
    assert person_key(first, last) == key


@pytest.mark.parametrize(
    "raw,e164",
    [
        ("602 570 507", "+420602570507"),
        ("+420 602-570-507", "+420602570507"),
        ("00420602570507", "+420602570507"),
        ("+421 2 1234 5678", "+421212345678"),
        ("12345", ""),
        ("volá někdo", ""),
        ("", ""),
    ],
)
def test_phone_numbers_are_compared_in_one_form(raw, e164):
    assert normalize(raw) == e164
    if e164:
        assert normalize(display(e164)) == e164


def test_the_phone_key_follows_every_save(vendors):
    from podpora.customers.models import Contact

    eva = Contact.objects.get(first_name="Eva", last_name="Dvořáková")
    eva.phone = "777 111 222"
    eva.save(update_fields=["phone"])
    eva.refresh_from_db()
    assert eva.phone_key == "+420777111222"
    [hit] = lookup.find(vendors["hrplus"].pk, "+420 777 111 222")
    assert hit.person == "Eva Dvořáková"


def _queries(vendor_id, text) -> int:
    lookup.find(vendor_id, text)  # the organisations' cache is filled once per process
    with CaptureQueriesContext(connection) as ctx:
        lookup.find(vendor_id, text)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("typed", ["novak", "strojirny", "acs-20", "hrplus-novak@"])
def test_query_count_does_not_grow_with_the_matches(vendors, typed):
    from podpora.customers.models import Contact, Licence, Organization

    hrplus = vendors["hrplus"]
    vendor_id = hrplus.pk if typed != "acs-20" else vendors["estelar"].pk
    before = _queries(vendor_id, typed)
    org = Organization.objects.get(vendor=hrplus, name="Strojírny Morava a.s.")
    for k in range(12):
        Contact.objects.create(
            organization=org,
            first_name=f"Jan{k}",
            last_name="Novák",
            email=f"hrplus-novak@{k}.example",
        )
        Organization.objects.create(vendor=hrplus, name=f"Strojírny {k}")
    estelar_org = Organization.objects.filter(vendor=vendors["estelar"]).first()
    product = vendors["estelar"].products.first()
    for k in range(12):
        Licence.objects.create(
            vendor=vendors["estelar"],
            organization=estelar_org,
            product=product,
            number=f"ACS-2027-{k:04d}",
        )
    assert len(lookup.find(vendor_id, typed)) >= lookup.LIMIT
    assert _queries(vendor_id, typed) == before <= 3


def test_json_answer_for_the_type_ahead(client, vendors):
    from podpora.accounts.models import User

    client.force_login(User.objects.get(username="hrplus-agent"))
    r = client.get("/desk/phone/lookup/", {"q": "dvořák"})
    assert r.status_code == 200
    [hit] = r.json()["hits"]
    assert hit["title"] == "Eva Dvořáková" and hit["matched"] == "jméno"
    assert "Strojírny Morava a.s." in hit["detail"]
    assert hit["url"].startswith("/desk/phone/?org=") and "contact=" in hit["url"]
    assert client.get("/desk/phone/lookup/", {"q": "nikdo"}).json()["empty"]


def test_customers_get_no_look_up(client, vendors):
    from podpora.accounts.models import User

    client.force_login(User.objects.get(username="hrplus-novak"))
    assert client.get("/desk/phone/lookup/", {"q": "novak"}).status_code == 404
