"""Macros: placeholders filled in the customer's language, what a macro sets, who sees which,
and the console's list and edit page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podpora.macros.models import Macro
from podpora.macros.placeholders import fill, unknown_placeholders
from podpora.macros.services import apply_macro, macros_for, render_macro
from podpora.macros.words import promised_in_words
from podpora.tickets.models import Ticket
from tests.conftest import new_ticket

BODY = "{osloveni},\n\npožadavek {cislo} ({produkt} {verze}) vyřešíme {termin}.\n\n{agent}"


def macro(cast, **kw):
    data = {"vendor": cast.vendor, "name": "Přijato", "body_cs": BODY}
    data.update(kw)
    return Macro.objects.create(**data)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", "ve čtvrtek 10. prosince 2026 v 14:30"),
        ("sk", "vo štvrtok 10. decembra 2026 o 14:30"),
        ("en", "on Thursday, 10 December 2026 at 14:30"),
    ],
)
def test_promised_time_in_words(lang, expected):
    instant = timezone.make_aware(dt.datetime(2026, 12, 10, 14, 30))
    assert promised_in_words(instant, lang) == expected


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("{cislo}", {"cislo": "AC-1"}, "AC-1"),
        ("{neznamy} {cislo}", {"cislo": "AC-1"}, "{neznamy} AC-1"),
        ("{cislo.__class__}", {"cislo": "AC-1"}, "{cislo.__class__}"),
        ("{{cislo}}", {"cislo": "AC-1"}, "{AC-1}"),
    ],
)
def test_fill_replaces_only_known_names(text, values, expected):
    assert fill(text, values) == expected


def test_unknown_placeholders_are_refused_when_saved(cast):
    assert unknown_placeholders("{osloveni} {jmeno} {spatne}") == ["spatne"]
    with pytest.raises(ValidationError) as exc:
        Macro(vendor=cast.vendor, name="X", body_cs="{spatne}").full_clean()
    assert "body_cs" in exc.value.message_dict


def test_placeholders_in_czech_with_the_vocative(cast):
    ticket = new_ticket(cast)
    text = render_macro(ticket, macro(cast), cast.agent)
    due = promised_in_words(ticket.resolution_due, "cs")
    assert text == (
        f"Dobrý den, paní Nováková,\n\npožadavek {ticket.number} (ACME ERP 5.0) vyřešíme {due}.\n\n"
        "Petr Operátor"
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("sk", "SK Dobrý deň, pani Nováková"),
        ("en", "EN Dear Alena Nováková"),
        ("cs", "CS Dobrý den, paní Nováková"),
    ],
)
def test_the_text_is_in_the_customers_language(cast, lang, expected):
    cast.contact_a.language = lang
    cast.contact_a.save()
    ticket = new_ticket(cast)
    m = macro(cast, body_cs="CS {osloveni}", body_sk="SK {osloveni}", body_en="EN {osloveni}")
    assert render_macro(ticket, m, cast.agent) == expected


def test_a_missing_translation_falls_back_to_czech(cast):
    cast.contact_a.language = "en"
    cast.contact_a.save()
    ticket = new_ticket(cast)
    assert (
        render_macro(ticket, macro(cast, body_cs="Česky {cislo}"), cast.agent)
        == f"Česky {ticket.number}"
    )


def test_apply_macro_replies_and_sets_what_it_says(cast):
    ticket = new_ticket(cast)
    m = macro(
        cast,
        set_state="waiting_customer",
        set_impact=1,
        set_urgency=1,
        set_type="bug",
        assign_to_actor=True,
    )
    done = apply_macro(ticket, m, cast.agent)
    t = Ticket.objects.get(pk=ticket.pk)
    assert (t.state, t.impact, t.urgency, t.priority, t.type, t.assignee) == (
        "waiting_customer", 1, 1, 1, "bug", cast.agent,
    )  # fmt: skip
    assert done.article.body.startswith("Dobrý den, paní Nováková,")
    assert t.first_responded_at is not None
    kinds = set(t.events.values_list("kind", flat=True))
    assert {"state_changed", "priority_changed", "assigned", "field_changed"} <= kinds


def test_a_macro_without_text_only_changes_the_state(cast):
    ticket = new_ticket(cast)
    apply_macro(ticket, macro(cast, body_cs="", set_state="open"), cast.agent)
    t = Ticket.objects.get(pk=ticket.pk)
    assert t.state == "open" and t.articles.count() == 1


def test_another_vendors_macro_changes_nothing(cast):
    ticket = new_ticket(cast)
    foreign = Macro.objects.create(
        vendor=cast.other_vendor, name="Cizí", body_cs="x", set_state="closed"
    )
    with pytest.raises(ValidationError):
        apply_macro(ticket, foreign, cast.agent)
    assert Ticket.objects.get(pk=ticket.pk).state == "new"


def test_a_refused_change_writes_nothing(cast):
    ticket = new_ticket(cast)
    ticket.state = "closed"
    Ticket.objects.filter(pk=ticket.pk).update(state="closed")
    m = macro(cast, set_state="waiting_release", set_impact=1, set_urgency=1)
    with pytest.raises(ValidationError):
        apply_macro(ticket, m, cast.agent)
    t = Ticket.objects.get(pk=ticket.pk)
    assert (t.impact, t.articles.count()) == (2, 1)


def test_team_macros_are_for_the_team(cast):
    from podpora.accounts.models import Team, User

    outsider = User.objects.create_user(
        "venku", "v@acme.example", "x", kind="staff", vendor=cast.vendor
    )
    backoffice = Team.objects.create(vendor=cast.vendor, name="Back office")
    everyone = macro(cast, name="Pro všechny")
    hotline = macro(cast, name="Hotline", team=cast.team)
    back = macro(cast, name="Back", team=backoffice)
    macro(cast, name="Vypnuté", is_active=False)
    assert set(macros_for(cast.agent, cast.vendor.pk)) == {everyone, hotline}
    assert set(macros_for(outsider, cast.vendor.pk)) == {everyone}
    assert back not in macros_for(cast.agent, cast.vendor.pk)


def test_the_reply_box_gets_the_macro_text_and_a_kb_link(cast, settings):
    from podpora.kb.models import Article as KbArticle

    settings.BASE_URL = "https://podpora.example"
    ticket = new_ticket(cast)
    m = macro(cast, body_cs="{osloveni},\n\nviz návod.")
    kb = KbArticle.objects.create(
        vendor=cast.vendor, title="Tisk faktur", slug="tisk", body="…", published_at=timezone.now()
    )
    client = Client()
    client.force_login(cast.agent)
    r = client.get(
        reverse("desk:compose", args=[ticket.number]), {"body": "", "macro": m.pk, "kb": kb.pk}
    )
    html = r.content.decode()
    assert "Dobrý den, paní Nováková,\n\nviz návod." in html
    assert "Tisk faktur: https://podpora.example/kb/acme/cs/tisk/" in html
    # without JavaScript: the page itself, the typed text kept
    r = client.get(
        reverse("desk:detail", args=[ticket.number]), {"body": "Už hotovo.", "kb": kb.pk}
    )
    assert (
        "Už hotovo.\n\nTisk faktur: https://podpora.example/kb/acme/cs/tisk/" in r.content.decode()
    )


def test_apply_from_the_ticket_page(cast):
    ticket = new_ticket(cast)
    m = macro(cast, set_state="waiting_customer")
    client = Client()
    client.force_login(cast.agent)
    client.post(reverse("desk:apply_macro", args=[ticket.number]), {"macro": m.pk})
    assert Ticket.objects.get(pk=ticket.pk).state == "waiting_customer"


def test_agents_manage_their_vendors_macros(cast):
    client = Client()
    client.force_login(cast.agent)
    r = client.post(
        reverse("macros:new"),
        {
            "name": "Uzavřít",
            "body_cs": "{osloveni},\n\nuzavíráme.",
            "set_state": "resolved",
            "is_active": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()
    m = Macro.objects.get(name="Uzavřít")
    assert m.vendor == cast.vendor
    assert "Uzavřít" in client.get(reverse("macros:list")).content.decode()
    r = client.post(reverse("macros:edit", args=[m.pk]), {"name": "Uzavřít", "body_cs": "{spatne}"})
    assert r.status_code == 200 and "spatne" in r.content.decode()
    foreign = Macro.objects.create(vendor=cast.other_vendor, name="Cizí")
    assert client.get(reverse("macros:edit", args=[foreign.pk])).status_code == 404
    assert "Cizí" not in client.get(reverse("macros:list")).content.decode()


def test_the_list_of_macros_takes_the_same_queries_for_many(cast):
    client = Client()
    client.force_login(cast.agent)
    macro(cast, name="M0", team=cast.team)
    client.get(reverse("macros:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("macros:list"))
    for i in range(1, 15):
        macro(cast, name=f"M{i}", team=cast.team)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("macros:list"))
    assert len(many) == len(few)
