"""Notifications in the console: made where ticket history is recorded, for the right person,
shown in the header and on a page, marked read."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from podpora.accounts.models import User
from podpora.desk.models import Notification
from podpora.desk.notifications import mentions
from podpora.tickets import services
from tests.conftest import new_ticket


@pytest.mark.parametrize(
    "text, expected",
    [
        ("@agent podívej se", ["agent"]),
        ("prosím @agent, @kolega.", ["agent", "kolega"]),
        ("napište na jan@firma.cz", []),
        ("@agent a znovu @agent", ["agent"]),
        ("(@petr.novak)", ["petr.novak"]),
        ("@@nic", []),
        ("", []),
        ("bez zmínky", []),
    ],
)
def test_mentions(text, expected):
    assert mentions(text) == expected


@given(st.text(max_size=200))
def test_mentions_never_fail_and_name_only_what_follows_an_at(text):
    for name in mentions(text):
        assert f"@{name}" in text and name and not name.endswith((".", "-", "+"))


@pytest.fixture
def solver(cast):
    return User.objects.create_user(
        "resitel",
        "r@acme.example",
        "x",
        kind="staff",
        role="agent",
        vendor=cast.vendor,
        first_name="Jana",
        last_name="Řešitelová",
    )


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_assignment_notifies_the_new_assignee_not_the_actor(cast, solver):
    t = new_ticket(cast)
    services.assign_ticket(t, assignee=solver, actor=cast.agent)
    services.assign_ticket(t, assignee=cast.agent, actor=cast.agent)
    assert kinds(solver) == ["assigned"]
    assert kinds(cast.agent) == []
    n = Notification.objects.get(recipient=solver)
    assert n.ticket == t and n.actor_label == "Petr Operátor"


def test_customer_reply_notifies_the_assignee_but_an_agents_reply_does_not(cast, solver):
    t = new_ticket(cast)
    services.assign_ticket(t, assignee=solver, actor=cast.agent)
    services.reply(t, "Dobrý den, posíláme postup.", actor=cast.agent)
    assert kinds(solver) == ["assigned"]
    services.add_customer_message(
        t, "Děkuji, pořád to nejde.", actor=cast.contact_a.user, contact=cast.contact_a
    )
    assert kinds(solver) == ["assigned", "customer_replied"]


def test_a_mention_in_a_note_notifies_colleagues_of_the_vendor_only(cast, solver):
    t = new_ticket(cast)
    services.add_note(t, "@resitel @cizi @agent @alena podívejte se", actor=cast.agent)
    assert kinds(solver) == ["mention"]
    assert kinds(cast.other_agent) == []  # another vendor's agent
    assert kinds(cast.agent) == []  # the author
    assert kinds(cast.contact_a.user) == []  # a customer


def test_sla_warning_and_breach_notify_the_assignee(cast, solver):
    from podpora.sla.scanner import check_ticket

    t = new_ticket(cast)
    services.assign_ticket(t, assignee=solver, actor=cast.agent)
    t.refresh_from_db()
    check_ticket(t.pk, t.first_response_due - dt.timedelta(minutes=1))
    check_ticket(t.pk, t.first_response_due + dt.timedelta(minutes=1))
    assert kinds(solver) == ["assigned", "sla_warning", "sla_breached"]


def test_nothing_is_left_when_the_change_rolls_back(cast, solver):
    from django.db import transaction

    t = new_ticket(cast)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.assign_ticket(t, assignee=solver, actor=cast.agent)
        raise RuntimeError
    assert kinds(solver) == []


def test_header_count_page_and_marking_read(cast, client, solver):
    t = new_ticket(cast)
    services.assign_ticket(t, assignee=cast.agent, actor=solver)
    services.add_note(t, "@agent viz výše", actor=solver)
    client.force_login(cast.agent)
    page = client.get(reverse("desk:queue")).content.decode()
    assert 'class="badge" aria-label="nepřečtená upozornění: 2">2</span>' in page
    page = client.get(reverse("desk:notifications")).content.decode()
    assert "přidělen vám" in page and "zmínka v poznámce" in page and t.number in page
    first = Notification.objects.filter(recipient=cast.agent).order_by("pk").first()
    r = client.get(reverse("desk:notification", args=[first.pk]))
    assert r["Location"] == reverse("desk:detail", args=[t.number])
    assert Notification.objects.filter(recipient=cast.agent, read_at__isnull=True).count() == 1
    client.post(reverse("desk:notifications_read"))
    assert Notification.objects.filter(recipient=cast.agent, read_at__isnull=True).count() == 0
    page = client.get(reverse("desk:queue")).content.decode()
    assert 'class="badge"' not in page


def test_header_count_is_bounded(cast, client, solver, monkeypatch):
    from podpora.desk import notifications

    monkeypatch.setattr(notifications, "UNREAD_LIMIT", 2)
    for _ in range(3):
        services.assign_ticket(new_ticket(cast), assignee=cast.agent, actor=solver)
    client.force_login(cast.agent)
    page = client.get(reverse("desk:notifications")).content.decode()
    assert 'aria-label="nepřečtená upozornění: 2+">2+</span>' in page


def test_nobody_opens_or_reads_another_persons_notification(cast, client, solver):
    t = new_ticket(cast)
    services.assign_ticket(t, assignee=solver, actor=cast.agent)
    theirs = Notification.objects.get(recipient=solver)
    client.force_login(cast.agent)
    assert client.get(reverse("desk:notification", args=[theirs.pk])).status_code == 404
    client.post(reverse("desk:notifications_read"), {"id": [str(theirs.pk)]})
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert t.number not in client.get(reverse("desk:notifications")).content.decode()
    client.force_login(cast.contact_a.user)
    assert client.get(reverse("desk:notifications")).status_code == 404


def test_notification_page_runs_a_constant_number_of_queries(
    cast, client, solver, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.agent)
    t = new_ticket(cast)
    services.assign_ticket(t, assignee=cast.agent, actor=solver)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("desk:notifications"))
    for _ in range(10):
        t = new_ticket(cast)
        services.assign_ticket(t, assignee=cast.agent, actor=solver)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("desk:notifications"))
