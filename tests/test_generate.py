"""`podpora generate`: a realistic vendor whose SLA columns are the engine's, usable at once."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from podpora.billing.models import TimeEntry
from podpora.customers.models import Contact, Contract, Licence, Organization
from podpora.tickets.models import Article, Event, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    out, err = io.StringIO(), io.StringIO()
    call_command("generate", tickets=600, vendors=2, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_generates_customers_tickets_and_their_history(generated):
    out, err = generated
    assert "tickets: 600" in out
    assert "600/600 tickets" in err  # the progress bar
    assert Ticket.objects.count() == 600
    assert Ticket.objects.values("vendor").distinct().count() == 2
    assert Organization.objects.filter(contracts__isnull=False).count() >= 10
    assert Contact.objects.count() >= 30 and Licence.objects.count() >= 10
    assert Contract.objects.count() >= 10
    assert Article.objects.count() >= 600 and Event.objects.count() >= 1800
    assert TimeEntry.objects.exists()
    years = {d.year for d in Ticket.objects.dates("created_at", "year")}
    assert len(years) >= 4  # several years of history
    states = set(Ticket.objects.values_list("state", flat=True))
    assert "closed" in states and states & {"new", "open", "waiting_customer"}
    # numbers go on from the vendor's counter: a new ticket does not collide
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 600


def test_sla_columns_are_the_engines(generated):
    from podpora.sla import services as sla_services

    checked = 0
    for t in Ticket.objects.exclude(sla_policy=None).order_by("?")[:60]:
        stored = (t.first_response_due, t.resolution_due)
        sla_services.recompute(t, timezone.now())
        assert (t.first_response_due, t.resolution_due) == stored, t.number
        checked += 1
    assert checked == 60
    late = Ticket.objects.filter(sla_breached=True).first()
    assert late is not None and late.sla_breached_at is not None


def test_generated_vendor_is_usable_in_the_console_and_portal(generated, client):
    from podpora.accounts.models import User

    agent = User.objects.get(username="hrplus-agent")
    client.force_login(agent)
    r = client.get(reverse("desk:queue"))
    assert r.status_code == 200 and r.content.decode().count('class="prio-') > 0
    t = Ticket.objects.filter(vendor=agent.vendor, state="closed").first()
    assert client.get(reverse("desk:detail", args=[t.number])).status_code == 200
    customer = User.objects.filter(kind="customer", username__startswith="hrplus-zakaznik").first()
    client.force_login(customer)
    assert client.get(reverse("portal:list")).status_code == 200
    from podpora.tickets import services
    from tests.conftest import new_ticket  # noqa: F401  (the services still number on)

    contact = customer.contact
    made = services.create_ticket(
        services.NewTicket(
            vendor=agent.vendor,
            subject="Nový",
            body="Text",
            channel="portal",
            organization=contact.organization,
            contact=contact,
        ),
        actor=customer,
        now=timezone.now() + dt.timedelta(seconds=1),
    )
    assert made.number not in set(
        Ticket.objects.exclude(pk=made.pk).values_list("number", flat=True)
    )
