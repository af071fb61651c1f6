"""Bulk work: one action on many tickets through the ticket writers, each in its own
transaction and history, with a summary of what failed and why."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from podpora.accounts.models import Team
from podpora.desk import bulk
from podpora.tickets.models import Article, Event, Ticket
from tests.conftest import new_ticket


def post(client, numbers, query="", **data):
    r = client.post(reverse("desk:bulk"), {"tickets": numbers, "query": query, **data})
    assert r.status_code == 302
    return [str(m) for m in get_messages(r.wsgi_request)]


@pytest.fixture
def three(cast, client):
    client.force_login(cast.agent)
    return [new_ticket(cast) for _ in range(3)]


def test_assign_to_me(cast, client, three):
    lines = post(client, [t.number for t in three], action="assign", assignee="me")
    assert lines == ["Hotovo u 3 požadavků."]
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {cast.agent.pk}
    assert Event.objects.filter(kind="assigned").count() == 3


@pytest.mark.parametrize(
    "data, check",
    [
        ({"action": "state", "state": "open"}, lambda t: t.state == "open"),
        ({"action": "priority", "impact": "1", "urgency": "1"}, lambda t: t.priority == 1),
        (
            {"action": "note", "body": "Hromadná poznámka"},
            lambda t: t.articles.filter(internal=True, body="Hromadná poznámka").exists(),
        ),
        ({"action": "escalate", "body": "Na vývoj"}, lambda t: t.level == 2),
        ({"action": "assign", "assignee": "none"}, lambda t: t.assignee_id is None),
    ],
)
def test_each_action_changes_every_ticket(cast, client, three, data, check):
    post(client, [t.number for t in three], **data)
    for t in Ticket.objects.all():
        assert check(t), data


def test_team_change_keeps_the_assignee_and_is_in_history(cast, client, three):
    other = Team.objects.create(vendor=cast.vendor, name="Vývoj")
    Ticket.objects.update(assignee=cast.agent)
    post(client, [t.number for t in three], action="team", team=str(other.pk))
    assert set(Ticket.objects.values_list("team", "assignee")) == {(other.pk, cast.agent.pk)}
    assert Event.objects.filter(kind="field_changed", data__field="team").count() == 3


def test_failures_are_summed_up_with_their_reasons(cast, client, three):
    Ticket.objects.filter(pk=three[0].pk).update(state="closed")
    lines = post(client, [t.number for t in three], action="state", state="waiting_release")
    assert lines[0] == "Hotovo u 2 požadavků."
    assert lines[1] == "U 1 požadavku se akce nepovedla:"
    assert lines[2] == f"{three[0].number}: Z tohoto stavu nelze přejít do zvoleného stavu."
    assert Ticket.objects.get(pk=three[0].pk).state == "closed"


def test_merge_into_a_ticket(cast, client, three):
    target, *sources = three
    foreign = new_ticket(cast, contact=cast.contact_b)
    numbers = [t.number for t in sources] + [foreign.number, target.number]
    lines = post(client, numbers, action="merge", into=target.number.lower())
    assert lines[0] == "Hotovo u 2 požadavků."
    assert f"{foreign.number}: Sloučit lze jen požadavky téže organizace." in lines
    assert f"{target.number}: Cílový požadavek nelze sloučit sám do sebe." in lines
    for t in sources:
        t.refresh_from_db()
        assert t.merged_into_id == target.pk and t.state == "closed"
    assert Article.objects.filter(ticket=target).count() == 3


def test_merge_into_an_unknown_ticket_says_so(cast, client, three):
    lines = post(client, [three[0].number], action="merge", into="AC-99999")
    assert lines == [
        "U 1 požadavku se akce nepovedla:",
        "všechny: Cílový požadavek AC-99999 neexistuje.",
    ]


def test_all_matching_the_view(cast, client, three):
    Ticket.objects.filter(pk=three[0].pk).update(priority=1)
    lines = post(
        client, [], query="ov=open&priority=1", action="assign", assignee="me", all_matching="on"
    )
    assert lines == ["Hotovo u 1 požadavku."]
    assert list(Ticket.objects.filter(assignee=cast.agent)) == [three[0]]


def test_all_matching_stops_at_the_limit(cast, client, three, monkeypatch):
    monkeypatch.setattr(bulk, "BULK_LIMIT", 2)
    lines = post(client, [], query="", action="note", body="x", all_matching="on")
    assert lines[0] == "Hotovo u 2 požadavků."
    assert "nejvýše 2 požadavků" in lines[1]


def test_another_vendors_tickets_are_untouched(cast, client):
    foreign = new_ticket(
        cast,
        vendor=cast.other_vendor,
        organization=None,
        contact=None,
        product=None,
        version=None,
        requester_email="x@y.cz",
        actor=None,
    )
    client.force_login(cast.agent)
    lines = post(client, [foreign.number], action="assign", assignee="me")
    assert lines == ["Žádný požadavek nebyl vybrán."]
    assert Ticket.objects.get(pk=foreign.pk).assignee_id is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "assign"}, "Vyberte řešitele."),
        ({"action": "state"}, "Vyberte nový stav."),
        ({"action": "note"}, "Napište text poznámky."),
        ({"action": "priority", "impact": "1"}, "Vyberte dopad i naléhavost."),
        ({"action": "merge"}, "Zadejte číslo požadavku, do kterého se má sloučit."),
    ],
)
def test_missing_input_is_named(cast, client, three, data, message):
    assert message in post(client, [three[0].number], **data)


def test_nothing_selected(cast, client, three):
    assert post(client, [], action="note", body="x") == ["Vyberte alespoň jeden požadavek."]


def test_assignee_of_another_vendor_is_refused(cast, client, three):
    lines = post(client, [three[0].number], action="assign", assignee=str(cast.other_agent.pk))
    assert lines[0].startswith("Vyberte platnou možnost"), lines
    assert Ticket.objects.get(pk=three[0].pk).assignee_id is None


def test_macro_hook_is_offered_only_when_the_module_exists(cast):
    has_macros = bulk._macro_api() is not None
    from podpora.desk.overview_forms import BulkForm

    choices = dict(
        BulkForm(vendor_id=cast.vendor.pk, macros=bulk.macros_for(cast.agent, cast.vendor.pk))
        .fields["action"]
        .choices
    )
    assert ("macro" in choices) == (
        has_macros and bool(bulk.macros_for(cast.agent, cast.vendor.pk))
    )
