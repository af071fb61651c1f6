"""HR Plus: the phone is the substitute registration, so every call can be recorded: a
prospect's or an unknown company's question goes to the collector and is answered by e-mail;
a person the hotline does not know, calling for a customer, is recorded unconfirmed, and the
customer admin confirms them on the people page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from podpora.customers.models import Contact, Organization
from podpora.demo import make_ico
from podpora.tickets.models import Ticket

from .conftest import staff
from .test_phone import URL, call, load

pytestmark = pytest.mark.django_db


def _register(client, **fields):
    client.force_login(staff("hrplus-agent"))
    return client.post(URL, call(register_unknown="on", **fields))


def test_an_unknown_company_s_question_is_answered_by_e_mail_like_the_collector(
    seed, client, django_capture_on_commit_callbacks
):
    vendor = load(seed, "hrplus")
    with django_capture_on_commit_callbacks(execute=True):
        r = _register(
            client,
            caller_company="Sklárny Nový Bor a.s.",
            first_name="Hana",
            last_name="Nová",
            caller_email="hana.nova@sklarny.example",
            subject="Umí HR Plus směnný provoz?",
        )
    assert r.status_code == 302, r.content.decode()[:3000]
    ticket = Ticket.objects.get(subject="Umí HR Plus směnný provoz?")
    org = Organization.objects.get(vendor=vendor, name="Sklárny Nový Bor a.s.")
    assert org.stage == "prospect" and ticket.organization == org
    assert ticket.requester_email == "hana.nova@sklarny.example"
    assert (ticket.entitlement_status, ticket.entitlement_reason) == ("covered", "public_question")
    [ack] = [m for m in mail.outbox if m.to == ["hana.nova@sklarny.example"]]
    assert re.search(rf"/portal/t/{ticket.public_token}/", ack.body)


def test_a_prospect_by_ico_needs_an_e_mail_for_the_answer(seed, client):
    vendor = load(seed, "hrplus")
    prospect = Organization.objects.get(vendor=vendor, stage="prospect")
    r = _register(client, ico=prospect.ico, first_name="Karel", last_name="Zvědavý")
    assert r.status_code == 200
    assert "Odpověď potenciálnímu zákazníkovi posíláme e-mailem" in r.content.decode()
    assert not Ticket.objects.filter(organization=prospect).exists()
    r = _register(
        client,
        ico=prospect.ico,
        first_name="Karel",
        last_name="Zvědavý",
        caller_email="karel@logistika.example",
    )
    assert r.status_code == 302
    ticket = Ticket.objects.get(organization=prospect)
    assert ticket.channel == "webform" and ticket.entitlement_reason == "public_question"


def test_a_new_person_at_a_customer_is_recorded_unconfirmed_and_the_admin_confirms(
    seed, client, django_capture_on_commit_callbacks
):
    vendor = load(seed, "hrplus")
    novak = Contact.objects.get(user__username="hrplus-novak")
    org = novak.organization
    r = _register(
        client,
        ico=make_ico(2559664),
        first_name="Lucie",
        last_name="Nová",
        caller_email="lucie.nova@strojirny.example",
        subject="Výpadek tisku výplatnic",
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    lucie = Contact.objects.get(organization=org, last_name="Nová")
    assert not lucie.confirmed and lucie.user is None
    ticket = Ticket.objects.get(subject="Výpadek tisku výplatnic")
    assert ticket.contact == lucie and ticket.channel == "phone" and ticket.vendor == vendor

    client.force_login(novak.user)
    page = client.get("/portal/people/").content.decode()
    assert "čeká na potvrzení" in page
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/portal/people/{lucie.pk}/confirm/")
    assert r.status_code == 302
    lucie.refresh_from_db()
    assert lucie.confirmed and lucie.user is not None
    assert any(m.to == ["lucie.nova@strojirny.example"] for m in mail.outbox)  # invitation


def test_a_known_caller_is_not_registered_again(seed, client):
    load(seed, "hrplus")
    r = _register(client, ico=make_ico(2559664), first_name="Jan", last_name="Novák")
    assert r.status_code == 200 and "je v organizaci" in r.content.decode()
    assert Ticket.objects.count() == 0


def test_another_customer_s_admin_cannot_confirm(seed, client):
    load(seed, "hrplus")
    novak = Contact.objects.get(user__username="hrplus-novak")
    stranger = Contact.objects.create(
        organization=Organization.objects.get(name="Pekárna Horák s.r.o."),
        first_name="Cizí",
        last_name="Osoba",
        confirmed=False,
    )
    client.force_login(novak.user)
    assert client.post(f"/portal/people/{stranger.pk}/confirm/").status_code == 404
    stranger.refresh_from_db()
    assert not stranger.confirmed
