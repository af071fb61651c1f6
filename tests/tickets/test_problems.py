"""Problems and their incidents: linked, a root cause written, and resolving the problem
resolves its incidents or tells their customers, as the vendor chose."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from podpora.tickets import history, services
from podpora.tickets.models import Article, Event, Ticket
from tests.conftest import new_ticket


@pytest.fixture
def problem(cast):
    return new_ticket(cast, type="problem", subject="Pád serveru tisku", actor=cast.agent)


@pytest.fixture
def incidents(cast):
    return [
        new_ticket(cast, type="incident", subject="Netiskne se"),
        new_ticket(cast, contact=cast.contact_b, type="incident", subject="Tisk stojí"),
    ]


def last_reply(ticket) -> str:
    return Article.objects.filter(ticket=ticket, from_customer=False).latest("pk").body


@pytest.mark.parametrize("resolves", [True, False])
def test_resolving_the_problem_reaches_its_incidents(cast, problem, incidents, resolves):
    cast.vendor.problem_resolves_incidents = resolves
    cast.vendor.save()
    done = new_ticket(cast, type="incident", subject="Už vyřešeno")
    for incident in [*incidents, done]:
        services.link_to_problem(incident, problem.number.lower(), actor=cast.agent)
    services.change_state(done, "resolved", actor=cast.agent)
    services.set_root_cause(problem, "Plná fronta tiskového serveru.", actor=cast.agent)
    services.change_state(problem, "resolved", actor=cast.agent)
    for incident in incidents:
        incident.refresh_from_db()
        assert incident.state == ("resolved" if resolves else "open")  # answered, not done
        body = last_reply(incident)
        assert problem.number in body and "Plná fronta tiskového serveru." in body
        assert Event.objects.filter(ticket=incident, kind="problem_resolved").count() == 1
    # a resolved incident is left alone
    assert not Event.objects.filter(ticket=done, kind="problem_resolved").exists()
    told = Event.objects.get(ticket=problem, kind="incidents_told")
    assert sorted(told.data["incidents"]) == sorted(i.number for i in incidents)
    assert Ticket.objects.get(pk=problem.pk).root_cause == "Plná fronta tiskového serveru."


@pytest.mark.parametrize(
    "source_type, target_type, ok",
    [
        ("incident", "problem", True),
        ("bug", "problem", True),
        ("question", "problem", False),
        ("incident", "incident", False),
        ("problem", "problem", False),
    ],
)
def test_what_links_to_a_problem(cast, source_type, target_type, ok):
    target = new_ticket(cast, type=target_type, actor=cast.agent)
    source = new_ticket(cast, type=source_type)
    if ok:
        services.link_to_problem(source, target.number, actor=cast.agent)
        assert services.problem_of(source) == target
        assert list(services.incidents_of(target)) == [source]
    else:
        with pytest.raises(ValidationError):
            services.link_to_problem(source, target.number, actor=cast.agent)
        assert services.problem_of(source) is None


def test_no_problem_of_another_vendor_and_once_only(cast, problem, incidents):
    with pytest.raises(ValidationError):
        services.link_to_problem(incidents[0], "OT-00001", actor=cast.agent)
    services.link_to_problem(incidents[0], problem.number, actor=cast.agent)
    with pytest.raises(ValidationError):
        services.link_to_problem(incidents[0], problem.number, actor=cast.agent)


def test_root_cause_only_on_a_problem(cast, problem, incidents):
    with pytest.raises(ValidationError):
        services.set_root_cause(incidents[0], "x", actor=cast.agent)
    with pytest.raises(ValidationError):
        services.set_root_cause(problem, "  ", actor=cast.agent)


@pytest.mark.parametrize(
    "kind, data, lang, expected",
    [
        ("root_cause_set", {}, "cs", "Petr zapsal(a) příčinu problému."),
        ("root_cause_set", {}, "en", "Petr recorded the problem's root cause."),
        (
            "problem_resolved",
            {"problem": "AC-00001", "resolved": True},
            "sk",
            "Vyriešené spolu s problémom AC-00001.",
        ),
        (
            "problem_resolved",
            {"problem": "AC-00001", "resolved": False},
            "cs",
            "Problém AC-00001, který požadavek způsobil, je vyřešen.",
        ),
        (
            "incidents_told",
            {"incidents": ["AC-00002", "AC-00003"], "resolved": True},
            "en",
            "Incidents resolved: AC-00002, AC-00003.",
        ),
    ],
)
def test_problem_history_reads(kind, data, lang, expected):
    with translation.override(lang):
        assert history.render(kind, data, actor="Petr") == expected


def test_desk_links_and_records(client, cast, problem, incidents):
    client.force_login(cast.agent)
    page = client.get(f"/desk/tickets/{incidents[0].number}/").content.decode()
    assert 'id="problem-form"' in page
    client.post(f"/desk/tickets/{incidents[0].number}/problem/", {"problem": problem.number})
    assert services.problem_of(incidents[0]) == problem
    client.post(f"/desk/tickets/{problem.number}/root-cause/", {"root_cause": "Fronta."})
    page = client.get(f"/desk/tickets/{problem.number}/").content.decode()
    assert incidents[0].number in page and "Fronta." in page
    client.force_login(cast.other_agent)
    assert (
        client.post(f"/desk/tickets/{problem.number}/root-cause/", {"root_cause": "x"}).status_code
        == 404
    )
