"""InTouch CRM's page, rule by rule, through the database (the demo's set-up of the vendor)."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import PRAGUE, TODAY, at, file_ticket

# The page's reaction times. TODAY is a Monday; a request at 10:00 is received that day, and
# "the next working day" closes on Tuesday at 16:00 (the hotline's hours, 8:00-16:00).
NEXT_WORKING_DAY = dt.datetime(2026, 3, 3, 16, 0, tzinfo=PRAGUE)
IN_A_WEEK = dt.datetime(2026, 3, 9, 10, 0, tzinfo=PRAGUE)

# type, impact, urgency -> first response target, resolution target, first response due,
# resolution due
REACTION_TIMES = [
    # ordinary questions: "ihned (telefon) a nebo nejpozději následující pracovní den"
    ("question", 2, 2, "1wd", "1wd", NEXT_WORKING_DAY, NEXT_WORKING_DAY),
    ("question", 1, 1, "1wd", "1wd", NEXT_WORKING_DAY, NEXT_WORKING_DAY),
    ("question", 3, 3, "1wd", "1wd", NEXT_WORKING_DAY, NEXT_WORKING_DAY),
    # serious problems: active work the same day, at the latest the next working day
    ("incident", 1, 1, "1wd", "", NEXT_WORKING_DAY, None),
    ("bug", 1, 2, "1wd", "", NEXT_WORKING_DAY, None),
    # less serious: active work within a week of the report
    ("bug", 2, 2, "7d", "", IN_A_WEEK, None),
    # cosmetic faults: removed in the next official update
    ("bug", 3, 2, "1wd", "release", NEXT_WORKING_DAY, None),
    ("bug", 3, 3, "1wd", "release", NEXT_WORKING_DAY, None),
]


@pytest.mark.parametrize("type,impact,urgency,first,resolution,first_due,due", REACTION_TIMES)
def test_intouch_reaction_times_follow_the_page(
    seed, type, impact, urgency, first, resolution, first_due, due
):
    vendor = seed("intouch")
    ticket = file_ticket(
        vendor, "intouch-prochazka", channel="email", type=type, impact=impact, urgency=urgency
    )
    assert ticket.entitlement_status == "covered"
    assert (ticket.first_response_target, ticket.resolution_target) == (first, resolution)
    assert ticket.first_response_due == first_due
    assert ticket.resolution_due == due


def _unknown_email_ticket(vendor, **extra):
    from podpora.tickets import services

    data = {
        "vendor": vendor,
        "subject": "Nejde odeslat hromadný e-mail",
        "body": "Dobrý den, po aktualizaci nám nejde odeslat hromadný e-mail zákazníkům.",
        "channel": "email",
        "requester_email": "lukas@autodily.example",
        "requester_name": "Lukáš Procházka",
        "sender_verified": False,
        **extra,
    }
    return services.create_ticket(services.NewTicket(**data), now=at(TODAY))


def test_agent_sets_who_asked_and_the_version_afterwards(seed):
    from podpora.customers.models import Contact
    from podpora.tickets import services
    from podpora.tickets.models import Event

    from .conftest import staff

    vendor = seed("intouch")
    ticket = _unknown_email_ticket(vendor)
    assert ticket.entitlement_status == "rejected" and ticket.resolution_due is None
    person = Contact.objects.get(user__username="intouch-prochazka")
    product = vendor.products.get()
    agent = staff("intouch-agent")

    # identified, the version still missing: asked for it
    ticket = services.set_ticket_facts(
        ticket, actor=agent, organization=person.organization, contact=person
    )
    assert (ticket.entitlement_status, ticket.entitlement_reason) == (
        "rejected",
        "version_not_stated",
    )
    ticket = services.set_ticket_facts(
        ticket,
        actor=agent,
        version=product.versions.get(name="10.0"),
        licence=person.organization.licences.get(),
    )
    assert ticket.entitlement_status == "covered"
    assert ticket.product == product and ticket.plan.name.startswith("Technická podpora")
    assert ticket.resolution_target == "1wd" and ticket.resolution_due == NEXT_WORKING_DAY
    changed = Event.objects.filter(ticket=ticket, kind="field_changed")
    assert {e.data["field"] for e in changed} == {
        "organization",
        "contact",
        "version",
        "product",
        "licence",
    }
    assert Event.objects.filter(ticket=ticket, kind="entitlement").count() == 3
    stored = type(ticket).objects.get(pk=ticket.pk)
    assert stored.entitlement_status == "covered" and stored.resolution_due == NEXT_WORKING_DAY


@pytest.mark.parametrize(
    "field,value_of",
    [
        ("contact", lambda org, other: other.contacts.first()),  # another organisation's person
        ("licence", lambda org, other: other.licences.first()),
        ("version", lambda org, other: None),  # replaced below by another vendor's version
    ],
)
def test_facts_that_do_not_fit_are_refused_and_nothing_changes(seed, field, value_of):
    from django.core.exceptions import ValidationError

    from podpora.catalog.models import Version
    from podpora.customers.models import Organization
    from podpora.tickets import services

    from .conftest import staff

    vendor = seed("intouch")
    seed("hrplus")
    org = Organization.objects.get(vendor=vendor, name="Autodíly Ústí s.r.o.")
    other = Organization.objects.get(vendor=vendor, name="Reality Sever a.s.")
    ticket = _unknown_email_ticket(vendor)
    value = value_of(org, other)
    if field == "version":
        value = Version.objects.exclude(product__vendor=vendor).first()
    with pytest.raises(ValidationError):
        services.set_ticket_facts(
            ticket, actor=staff("intouch-agent"), organization=org, **{field: value}
        )
    stored = type(ticket).objects.get(pk=ticket.pk)
    assert stored.organization_id is None and stored.entitlement_status == "rejected"


def test_console_card_sets_the_facts(seed, client):
    from podpora.customers.models import Contact

    from .conftest import staff

    vendor = seed("intouch")
    ticket = _unknown_email_ticket(vendor)
    person = Contact.objects.get(user__username="intouch-prochazka")
    version = vendor.products.get().versions.get(name="10.0")
    client.force_login(staff("intouch-agent"))
    page = client.get(f"/desk/tickets/{ticket.number}/")
    assert b'id="facts-form"' in page.content
    response = client.post(
        f"/desk/tickets/{ticket.number}/facts/",
        {"facts-contact": person.pk, "facts-version": version.pk},
        follow=True,
    )
    assert "Nárok a SLA jsou přepočteny" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.organization == person.organization and ticket.version == version
    assert ticket.entitlement_status == "covered"
    # a value that is not the vendor's is a message, not an error page
    response = client.post(
        f"/desk/tickets/{ticket.number}/facts/", {"facts-version": "999999"}, follow=True
    )
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.version == version


def phone_call(**fields):
    data = {
        "licence_number": "",
        "ico": "",
        "company": "",
        "first_name": "",
        "last_name": "",
        "version": "10.0",
        "subject": "Nejde odeslat hromadný e-mail",
        "body": "Volající popsal chybu při odesílání.",
        "type": "question",
        "impact": 2,
        "urgency": 2,
        "duration": 6,
        "answer": "",
        "language": "",
    }
    return data | fields


# what the hotline typed -> organisation identified, entitlement reason (None: form error)
CALLS = [
    ({"company": "Autodíly Ústí", "first_name": "Lukas", "last_name": "Prochazka"}, "covered"),
    ({"company": "AUTODÍLY ÚSTÍ, s. r. o.", "first_name": "Lukáš", "last_name": "Procházka"},
     "covered"),
    ({"company": "Reality Sever", "first_name": "Lenka", "last_name": "Černá"}, "covered"),
    ({"company": "Autodíly Ústí", "first_name": "Lukáš", "last_name": "Procházka",
      "language": "sk"}, "language"),  # the caller speaks Slovak: InTouch serves Czech only
    ({"company": "Autodíly Ústí", "first_name": "Lukáš", "last_name": "Procházka",
      "version": ""}, "version_not_stated"),
    ({"company": "Neznámá firma", "first_name": "Lukáš", "last_name": "Procházka"}, None),
    ({"company": "Autodíly Ústí", "first_name": "Jana", "last_name": "Nová"}, None),
    ({"company": "Autodíly Ústí"}, None),  # the person's name is needed too
]  # fmt: skip


@pytest.mark.parametrize("fields,reason", CALLS)
def test_hotline_identifies_the_caller_by_company_name(seed, client, fields, reason):
    from django.utils import timezone

    from podpora.tickets.models import Ticket

    from .conftest import staff

    seed("intouch", timezone.localdate())
    client.force_login(staff("intouch-agent"))
    response = client.post("/desk/phone/", phone_call(**fields))
    if reason is None:
        assert response.status_code == 200 and not Ticket.objects.exists()
        return
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.entitlement_reason == reason, ticket.entitlement_detail
    assert ticket.contact is not None and ticket.organization == ticket.contact.organization


@pytest.mark.parametrize(
    "subject,body,refused_for_language",
    [
        (
            "Mass e-mail fails",
            "Hello, after the update to 10.0 we cannot send the mass e-mail to our customers.",
            True,
        ),
        (
            "Nejde hromadný e-mail",
            "Dobrý den, po aktualizaci na 10.0 nám nejde odeslat hromadný e-mail zákazníkům.",
            False,
        ),
    ],
)
def test_api_request_language_counts(seed, client, subject, body, refused_for_language):
    """InTouch's plan has no API channel; the language is checked first, so an English
    request through the API is told that support is in Czech only."""
    from podpora.accounts.services import create_api_token

    from .conftest import staff

    seed("intouch")
    token = create_api_token(staff("intouch-prochazka"))
    payload = {"subject": subject, "body": body, "product": "intouch-enterprise", "version": "10.0"}
    r = client.post(
        "/api/v1/tickets",
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code in (200, 201), r.content
    entitlement = r.json()["entitlement"]
    language = "se poskytuje jen v jazycích: čeština" in entitlement["reason"]
    assert language is refused_for_language, entitlement
