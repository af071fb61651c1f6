"""The seed vendors' kinds of request their support does not cover (``ScopeItem``), on every
channel: what the requester picks decides covered / billable / rejected with the reason the
customer reads, and an agent's reclassification decides again, with its history."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.billing.conftest import TODAY, _clean_cache, at, file_ticket, seed, staff  # noqa: F401

# vendor, who (None: anyone through the public form), channel, scope, status, reason
RULES = [
    # HR Plus: training, third-party integration, operational services are not covered
    ("hrplus", "hrplus-novak", "portal", "training", "rejected", "out_of_scope"),
    ("hrplus", "hrplus-novak", "phone", "third_party", "rejected", "out_of_scope"),
    ("hrplus", "hrplus-novak", "email", "operations", "rejected", "out_of_scope"),
    ("hrplus", "hrplus-novak", "portal", "", "covered", "covered"),
    ("hrplus", None, "webform", "training", "rejected", "out_of_scope"),
    ("hrplus", None, "webform", "", "covered", "public_question"),
    # cloudempiere: the phone covers basic functions, not user data nor logging in; the
    # portal takes those requests as usual
    ("cloudempiere", "ce-kovac", "phone", "user_data", "rejected", "out_of_scope"),
    ("cloudempiere", "ce-kovac", "phone", "system_login", "rejected", "out_of_scope"),
    ("cloudempiere", "ce-kovac", "portal", "user_data", "covered", "covered"),
    ("cloudempiere", "ce-kovac", "email", "system_login", "covered", "covered"),
    # ESTELAR: START does not include data exports for parent systems (a paid intervention
    # under the warranty); HOTLINE does
    ("estelar", "estelar-kratochvil", "portal", "data_export", "billable", "warranty_only"),
    ("estelar", "estelar-vesela", "phone", "data_export", "covered", "covered"),
    ("estelar", "estelar-vesela", "phone", "training", "rejected", "out_of_scope"),
    # InTouch: installation, programming, consulting, analytical work refused; on-site paid
    ("intouch", "intouch-prochazka", "email", "installation", "rejected", "out_of_scope"),
    ("intouch", "intouch-prochazka", "phone", "programming", "rejected", "out_of_scope"),
    ("intouch", "intouch-prochazka", "email", "consulting", "rejected", "out_of_scope"),
    ("intouch", "intouch-prochazka", "email", "analysis", "rejected", "out_of_scope"),
    ("intouch", "intouch-prochazka", "phone", "onsite", "billable", "scope_billable"),
]


@pytest.mark.parametrize("slug,who,channel,scope,status,reason", RULES)
def test_scope_rules(seed, slug, who, channel, scope, status, reason):  # noqa: F811
    ticket = file_ticket(seed(slug), who, channel=channel, scope=scope)
    assert (ticket.entitlement_status, ticket.entitlement_reason) == (status, reason), (
        ticket.entitlement_detail
    )


def test_cloudempiere_items_alone_decide_the_phone(seed):  # noqa: F811
    """Its plans name neither kind: the vendor's own items are what refuses them."""
    vendor = seed("cloudempiere")
    for plan in vendor.plans.all():
        assert not {"user_data", "system_login"} & set(plan.excluded_scopes)
    vendor.scope_items.filter(code="user_data").delete()
    ticket = file_ticket(vendor, "ce-kovac", channel="phone", scope="user_data")
    assert ticket.entitlement_status == "covered"


@pytest.mark.parametrize(
    "language,expected",
    [
        ("cs", "Požadavky druhu „Školení produktu“"),
        ("en", "Requests of the kind “Product training”"),
        ("sk", "Školenie produktu"),
    ],
)
def test_reason_names_the_kind_in_the_readers_language(seed, language, expected):  # noqa: F811
    with translation.override(language):
        ticket = file_ticket(seed("hrplus"), "hrplus-novak", scope="training")
    assert expected in ticket.entitlement_detail
    assert not re.search(r"[„“]training[“”]", ticket.entitlement_detail)  # never the code


def test_unknown_kind_is_refused_before_anything_is_stored(seed):  # noqa: F811
    from podpora.tickets.models import Ticket

    with pytest.raises(ValidationError) as exc:
        file_ticket(seed("hrplus"), "hrplus-novak", scope="Školení!")
    assert "scope" in exc.value.message_dict
    assert not Ticket.objects.exists()


def test_agent_reclassifies_and_entitlement_sla_and_history_follow(seed):  # noqa: F811
    from podpora.tickets import services
    from podpora.tickets.models import Event

    vendor = seed("cloudempiere")
    ticket = file_ticket(vendor, "ce-kovac", channel="phone", type="question")
    assert ticket.entitlement_status == "covered" and ticket.resolution_due is not None
    agent = staff("cloudempiere-agent")

    ticket = services.reclassify(
        ticket, scope="system_login", ticket_type="service", actor=agent, now=at(TODAY, 11)
    )
    ticket.refresh_from_db()
    assert (ticket.scope, ticket.type) == ("system_login", "service")
    assert (ticket.entitlement_status, ticket.entitlement_reason) == ("rejected", "out_of_scope")
    assert ticket.resolution_due is None and ticket.sla_policy is None  # no SLA when refused
    kinds = list(Event.objects.filter(ticket=ticket).values_list("kind", "data"))
    assert ("field_changed", {"field": "scope", "old": "", "new": "system_login"}) in [
        (k, {x: d.get(x) for x in ("field", "old", "new")}) for k, d in kinds
    ]
    assert [k for k, _d in kinds].count("entitlement") == 2
    from podpora.tickets.history import describe

    changed = Event.objects.get(ticket=ticket, kind="field_changed", data__field="scope")
    with translation.override("cs"):
        line = describe(changed)
    assert "„běžná podpora“" in line and "„Přihlášení do systému zákazníka“" in line, line

    services.reclassify(ticket, scope="", ticket_type="question", actor=agent, now=at(TODAY, 12))
    ticket.refresh_from_db()
    assert ticket.entitlement_status == "covered" and ticket.resolution_due is not None


def test_reclassify_refuses_a_kind_of_another_vendor(seed):  # noqa: F811
    from podpora.tickets import services

    seed("intouch")
    ticket = file_ticket(seed("cloudempiere"), "ce-kovac", channel="phone")
    with pytest.raises(ValidationError):
        services.reclassify(
            ticket, scope="onsite", ticket_type="question", actor=staff("cloudempiere-agent")
        )
    ticket.refresh_from_db()
    assert ticket.scope == ""


def test_override_survives_reclassification(seed):  # noqa: F811
    from podpora.tickets import services
    from podpora.tickets.services import override_entitlement

    ticket = file_ticket(seed("hrplus"), "hrplus-novak")
    agent = staff("hrplus-agent")
    override_entitlement(ticket, status="billable", note="Dohodnuto", actor=agent)
    services.reclassify(ticket, scope="training", ticket_type="question", actor=agent)
    ticket.refresh_from_db()
    assert ticket.entitlement_status == "billable"
