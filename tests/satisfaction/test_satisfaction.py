"""Ratings of resolved requests: signed one-click links, the portal, the low-rating follow-up
and the reports per agent, team, product and organisation."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from podpora.satisfaction import services, tokens
from podpora.satisfaction.models import Rating
from podpora.tickets import services as ticket_services
from tests.conftest import new_ticket


def resolved(cast, contact=None):
    t = new_ticket(cast, contact=contact)
    ticket_services.assign_ticket(t, assignee=cast.agent, team=cast.team, actor=cast.agent)
    ticket_services.reply(t, "Opraveno v nastavení tisku.", actor=cast.agent)
    return ticket_services.change_state(t, "resolved", actor=cast.agent)


@pytest.mark.parametrize("score", [1, 2, 3, 4, 5])
def test_token_round_trip(score):
    assert tokens.read(tokens.make(42, score)) == (42, score)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "nonsense",
        tokens.make(42, 3)[:-2] + "xx",  # forged signature
    ],
)
def test_bad_tokens_are_refused(token):
    assert tokens.read(token) is None


def test_a_token_of_another_salt_or_score_out_of_range_is_refused():
    from django.core import signing

    assert tokens.read(signing.dumps({"t": 1, "s": 3}, salt="other")) is None
    assert tokens.read(signing.dumps({"t": 1, "s": 9}, salt=tokens.SALT, compress=True)) is None


def test_resolution_mail_carries_one_link_per_score(cast, django_capture_on_commit_callbacks):
    t = new_ticket(cast)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_services.change_state(t, "resolved", actor=cast.agent)
    [msg] = [m for m in mail.outbox if m.to == [cast.contact_a.email]]
    links = re.findall(r"^(\d): (http://\S+/hodnoceni/\S+/)$", msg.body, re.M)
    assert [s for s, _ in links] == ["1", "2", "3", "4", "5"]
    assert [tokens.read(url.rstrip("/").rsplit("/", 1)[1]) for _, url in links] == [
        (t.pk, s) for s in range(1, 6)
    ]


def test_rating_by_link_needs_no_log_in_and_is_changeable_but_single(client, cast):
    t = resolved(cast)
    url = f"/hodnoceni/{tokens.make(t.pk, 4)}/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="4" required id="id_score_3" checked' in page.content.decode() or (
        page.context["form"].initial["score"] == 4
    )
    client.post(url, {"score": 4, "comment": "Rychlé"})
    client.post(f"/hodnoceni/{tokens.make(t.pk, 5)}/", {"score": 5, "comment": "Výborné"})
    [rating] = Rating.objects.filter(ticket=t)
    assert (rating.score, rating.comment, rating.channel) == (5, "Výborné", "email")
    assert rating.contact == cast.contact_a and rating.agent == cast.agent


def test_forged_link_is_a_404(client, cast):
    t = resolved(cast)
    assert client.get(f"/hodnoceni/{tokens.make(t.pk, 4)}x/").status_code == 404


def test_an_open_request_cannot_be_rated(cast):
    t = new_ticket(cast)
    with pytest.raises(ValidationError):
        services.rate(t, 5)
    assert not Rating.objects.exists()


@pytest.mark.parametrize("score", [0, 6, -1, True])
def test_score_out_of_range_is_refused(cast, score):
    t = resolved(cast)
    with pytest.raises(ValidationError):
        services.rate(t, score)


def _notes(ticket):
    return list(ticket.articles.filter(internal=True, kind="note").values_list("body", flat=True))


@pytest.mark.parametrize(
    ("scores", "follow_ups"),
    [
        ([5], 0),
        ([3], 0),
        ([2], 1),
        ([1], 1),
        ([1, 2], 1),  # still low: no second follow-up
        ([2, 5, 1], 2),  # raised, then low again
        ([5, 1], 1),
    ],
)
def test_low_rating_opens_one_follow_up_for_the_team_lead(cast, scores, follow_ups):
    from podpora.accounts.models import User

    lead = User.objects.create_user(
        "vedouci", "lead@acme.example", "x", kind="staff", role="manager", vendor=cast.vendor
    )
    cast.team.lead = lead
    cast.team.save()
    t = resolved(cast)
    for score in scores:
        services.rate(t, score, "Nic nefunguje")
    t.refresh_from_db()
    notes = [n for n in _notes(t) if "ohodnotil" in n]
    assert len(notes) == follow_ups
    if follow_ups:
        assert "Nic nefunguje" in notes[0]
        assert t.assignee == lead
        assert t.events.filter(kind="assigned", data__new="vedouci").exists()
    else:
        assert t.assignee == cast.agent


def test_portal_rating_by_the_author(client, cast):
    t = resolved(cast)
    client.force_login(cast.contact_a.user)
    page = client.get(f"/portal/tickets/{t.number}/").content.decode()
    assert 'id="rating-form"' in page
    client.post(f"/portal/tickets/{t.number}/rating/", {"score": "2", "comment": "Pomalé"})
    rating = Rating.objects.get(ticket=t)
    assert (rating.score, rating.channel) == (2, "portal")
    page = client.get(f"/portal/tickets/{t.number}/").content.decode()
    assert "Vaše hodnocení: 2 z 5" in page


def test_portal_rating_refused_to_a_colleague_and_another_organisation(client, cast):
    t = resolved(cast)
    client.force_login(cast.contact_a2.user)
    client.post(f"/portal/tickets/{t.number}/rating/", {"score": "5"})
    assert not Rating.objects.exists()
    client.force_login(cast.contact_b.user)
    assert client.post(f"/portal/tickets/{t.number}/rating/", {"score": "5"}).status_code == 404


def test_reports_per_agent_team_product_and_organisation(client, cast):
    from podpora.accounts.models import User

    t1 = resolved(cast)
    t2 = resolved(cast, contact=cast.contact_b)
    services.rate(t1, 5)
    services.rate(t2, 2)
    manager = User.objects.create_user(
        "manazer", "m@acme.example", "x", kind="staff", role="manager", vendor=cast.vendor
    )
    client.force_login(manager)
    page = client.get("/desk/reports/")
    data = page.context["data"]["satisfaction"]
    assert data["summary"]["count"] == 2 and data["summary"]["low"] == 1
    assert data["summary"]["average"] == pytest.approx(3.5)
    assert data["agent"] == [{"label": "Petr Operátor", "count": 2, "average": 3.5, "low": 1}]
    assert data["team"][0]["label"] == "Hotline"
    assert data["product"][0]["label"] == "ACME ERP"
    orgs = {r["label"]: r["average"] for r in data["organization"]}
    assert orgs == {"Alfa s.r.o.": 5, "Beta a.s.": 2}
    text = page.content.decode()
    assert 'id="satisfaction-report"' in text and "2 hodnocení" in text


def test_other_vendors_ratings_are_not_in_the_report(cast):
    from django.utils import timezone

    from podpora.desk import reports
    from podpora.desk.reports import Period

    services.rate(resolved(cast), 1)
    today = timezone.localdate()
    data = reports.satisfaction(cast.other_vendor, Period(today, today))
    assert data["summary"]["count"] == 0


def test_a_web_form_author_rates_on_the_private_page(client, cast):
    from podpora.tickets.services import NewTicket, create_ticket

    t = create_ticket(
        NewTicket(vendor=cast.vendor, subject="Cena", body="Kolik stojí licence?",
                  channel="webform", requester_email="jana@firma.example",
                  requester_name="Jana Malá"),
        actor=None,
    )  # fmt: skip
    url = f"/portal/t/{t.public_token}/"
    assert 'id="rating-form"' not in client.get(url).content.decode()  # not resolved yet
    ticket_services.reply(t, "Cenu posíláme v příloze.", actor=cast.agent)
    ticket_services.change_state(t, "resolved", actor=cast.agent)
    page = client.get(url).content.decode()
    assert f'action="/portal/t/{t.public_token}/rating/"' in page
    response = client.post(f"{url}rating/", {"score": "4", "comment": "Rychle."})
    assert response.status_code == 302 and response["Location"] == url
    rating = Rating.objects.get(ticket=t)
    assert (rating.score, rating.channel, rating.comment) == (4, "webform", "Rychle.")
    assert "Vaše hodnocení: 4 z 5" in client.get(url).content.decode()
    assert (
        client.post("/portal/t/xxxxxxxxxxxxxxxxxxxxxxxxx/rating/", {"score": "1"}).status_code
        == 404
    )
    assert client.get(f"{url}rating/").status_code == 405
