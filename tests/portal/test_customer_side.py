"""The customer's side of the portal: close and reopen, promises in words, the contract page,
and the e-mails about a package running low and a contract ending."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podpora.customers.models import Contact, Contract, PrepaidPackage
from podpora.tickets import rules, services
from podpora.tickets.rules import State
from tests.billing.conftest import seed  # noqa: F401
from tests.conftest import new_ticket


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (State.NEW, State.CLOSED, True),
        (State.OPEN, State.CLOSED, True),
        (State.WAITING_CUSTOMER, State.CLOSED, True),
        (State.WAITING_RELEASE, State.CLOSED, True),
        (State.RESOLVED, State.CLOSED, True),
        (State.REJECTED, State.CLOSED, False),
        (State.CLOSED, State.CLOSED, False),
        (State.RESOLVED, State.OPEN, True),
        (State.CLOSED, State.OPEN, True),
        (State.WAITING_CUSTOMER, State.OPEN, True),
        (State.REJECTED, State.OPEN, False),
        (State.NEW, State.OPEN, False),
        (State.OPEN, State.RESOLVED, False),
        (State.NEW, State.REJECTED, False),
    ],
)
def test_customer_transitions(current, target, allowed):
    assert rules.customer_may_set(current, target) is allowed


@pytest.mark.parametrize(
    ("author", "admin", "same_org", "allowed"),
    [
        (True, False, True, True),
        (False, True, True, True),
        (False, True, False, False),
        (False, False, True, False),
    ],
)
def test_who_may_close_or_reopen(author, admin, same_org, allowed):
    assert (
        rules.customer_may_change(
            is_author=author, is_customer_admin=admin, same_organization=same_org
        )
        is allowed
    )


def test_author_closes_an_open_request_and_reopens_it(client, cast):
    t = new_ticket(cast)
    client.force_login(cast.contact_a.user)
    page = client.get(f"/portal/tickets/{t.number}/").content.decode()
    assert 'id="close-ticket"' in page and 'id="reopen-ticket"' not in page
    client.post(f"/portal/tickets/{t.number}/state/", {"state": "closed"})
    t.refresh_from_db()
    assert t.state == "closed" and t.closed_at is not None
    page = client.get(f"/portal/tickets/{t.number}/").content.decode()
    assert 'id="reopen-ticket"' in page and 'id="close-ticket"' not in page
    client.post(f"/portal/tickets/{t.number}/state/", {"state": "open"})
    t.refresh_from_db()
    assert t.state == "open" and t.closed_at is None
    kinds = list(t.events.values_list("kind", flat=True))
    assert kinds.count("state_changed") == 2


def test_colleague_may_not_close_but_customer_admin_may(client, cast):
    t = new_ticket(cast)
    client.force_login(cast.contact_a2.user)  # sees the organisation's requests, not the author
    page = client.get(f"/portal/tickets/{t.number}/").content.decode()
    assert 'id="close-ticket"' not in page
    client.post(f"/portal/tickets/{t.number}/state/", {"state": "closed"})
    t.refresh_from_db()
    assert t.state == "new"
    Contact.objects.filter(pk=cast.contact_a2.pk).update(role="customer_admin")
    client.post(f"/portal/tickets/{t.number}/state/", {"state": "closed"})
    t.refresh_from_db()
    assert t.state == "closed"


def test_another_organisation_cannot_close(client, cast):
    t = new_ticket(cast)
    client.force_login(cast.contact_b.user)
    assert client.post(f"/portal/tickets/{t.number}/state/", {"state": "closed"}).status_code == 404
    t.refresh_from_db()
    assert t.state == "new"


def test_service_refuses_a_customer_who_is_not_author_or_admin(cast):
    from django.core.exceptions import ValidationError

    t = new_ticket(cast)
    with pytest.raises(ValidationError):
        services.change_state(t, "closed", actor=cast.contact_a2.user, as_customer=True)


def test_detail_states_the_promises_in_words(client, cast):
    t = new_ticket(cast)  # priority 3: 4h / 3wd in the cast's policy
    client.force_login(cast.contact_a.user)
    page = client.get(f"/portal/tickets/{t.number}/").content.decode()
    assert "do 4 hodin v pracovní době" in page
    assert "do 3 pracovních dnů" in page


def _contract_page(client, user):
    client.force_login(user)
    return client.get("/portal/contract/")


def test_contract_page_shows_plan_channels_promises_and_packages(client, cast):
    from podpora.billing.models import TimeEntry
    from podpora.customers.models import ChannelInfo

    ChannelInfo.objects.create(vendor=cast.vendor, channel="email", contact="podpora@acme.cz")
    package = PrepaidPackage.objects.create(
        organization=cast.org_a,
        name="Balík 10 hodin",
        minutes=600,
        valid_from=dt.date(2020, 1, 1),
        low_balance_minutes=60,
    )
    t = new_ticket(cast)
    TimeEntry.objects.create(
        ticket=t,
        user=cast.agent,
        minutes=45,
        mode="prepaid",
        package=package,
        worked_on=timezone.localdate(),
    )
    page = _contract_page(client, cast.contact_a.user)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Údržba" in text
    assert "podpora@acme.cz" in text
    assert "odpověď při střední prioritě nejpozději do 4 hodin v pracovní době" in text
    assert "do 1 pracovního dne" in text  # priority 4's first response
    assert "zbývá 555 minut z 600" in text
    assert t.number in text  # what drew the package
    # the customer's menu leads there
    assert 'href="/portal/contract/"' in text


def test_contract_page_is_not_for_end_users_nor_shows_other_organisations(client, cast):
    assert _contract_page(client, cast.end_user_a.user).status_code == 404
    PrepaidPackage.objects.create(
        organization=cast.org_b, name="Cizí balík", minutes=60, valid_from=dt.date(2020, 1, 1)
    )
    text = _contract_page(client, cast.contact_a.user).content.decode()
    assert "Cizí balík" not in text


def test_contract_page_costs_the_same_with_more_history(client, cast):
    from podpora.billing.models import TimeEntry

    package = PrepaidPackage.objects.create(
        organization=cast.org_a, name="Balík", minutes=6000, valid_from=dt.date(2020, 1, 1)
    )
    t = new_ticket(cast)

    def draw(n):
        for _ in range(n):
            TimeEntry.objects.create(
                ticket=t,
                user=cast.agent,
                minutes=5,
                mode="prepaid",
                package=package,
                worked_on=timezone.localdate(),
            )

    client.force_login(cast.contact_a.user)
    draw(1)
    client.get("/portal/contract/")
    with CaptureQueriesContext(connection) as few:
        client.get("/portal/contract/")
    draw(20)
    with CaptureQueriesContext(connection) as many:
        client.get("/portal/contract/")
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_notices_go_once_per_event_to_customer_admins(cast, django_capture_on_commit_callbacks):
    from podpora.billing.models import TimeEntry
    from podpora.portal.notices import tell

    Contact.objects.filter(pk=cast.contact_a2.pk).update(role="customer_admin")
    today = timezone.localdate()
    package = PrepaidPackage.objects.create(
        organization=cast.org_a,
        name="Balík 2 hodiny",
        minutes=120,
        valid_from=dt.date(2020, 1, 1),
        low_balance_minutes=60,
    )
    assert tell(today) == {"package_low": 0, "contract_ending": 0}
    TimeEntry.objects.create(
        ticket=new_ticket(cast),
        user=cast.agent,
        minutes=70,
        mode="prepaid",
        package=package,
        worked_on=today,
    )
    contract = Contract.objects.get(organization=cast.org_a)
    contract.valid_to = today + dt.timedelta(days=20)
    contract.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tell(today) == {"package_low": 1, "contract_ending": 1}
    to_admin = [m for m in mail.outbox if m.to == [cast.contact_a2.email]]
    subjects = sorted(m.subject for m in to_admin)
    assert len(to_admin) == 2, [m.to for m in mail.outbox]
    assert any("Balík 2 hodiny dochází" in s for s in subjects)
    assert any("končí" in s for s in subjects)
    body = next(m.body for m in to_admin if "dochází" in m.subject)
    assert "zbývá 50 minut z 120" in body
    assert not [m for m in mail.outbox if cast.contact_a.email in m.to]  # not an admin
    mail.outbox.clear()
    assert tell(today) == {"package_low": 0, "contract_ending": 0}
    assert mail.outbox == []
    contract.valid_to = today + dt.timedelta(days=25)  # prolonged: a new end, told again
    contract.save()
    assert tell(today)["contract_ending"] == 1


def test_contract_page_names_hotline_start_of_a_licence(client, seed):  # noqa: F811
    from tests.billing.conftest import contact

    today = timezone.localdate()
    seed("estelar", today)
    customer = contact("estelar-kratochvil")
    client.force_login(customer.user)
    page = client.get("/portal/contract/")
    text = page.content.decode()
    [row] = [r for r in page.context["licences"] if r["start_end"]]
    assert row["start_end"] >= today
    assert f"úvodní podpora START do {row['start_end']:%-d. %-m. %Y}" in text
