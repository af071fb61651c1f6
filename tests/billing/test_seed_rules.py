"""Each seed page's rules through the database: who may use which channel, what is covered,
what is billed at which rate. The vendors are set up by the demo, as their pages say; each
row files a request through a channel (portal, e-mail, phone, web form) with create_ticket and
reads the stored entitlement, and for billable work the rate that time would be billed at.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from podpora.billing.services import charge_for

from .conftest import TODAY, file_ticket, judge

PREPAID = "prepaid"  # billable, drawn from the prepaid package first
#: A request written in English (the language of the text counts, not only the contact's).
ENGLISH = {
    "subject": "Mass e-mail fails",
    "body": "Hello, after the update we cannot send the mass e-mail to our customers.",
}


def check(ticket, status, reason, rate):
    assert (ticket.entitlement_status, ticket.entitlement_reason) == (status, reason), (
        ticket.entitlement_detail
    )
    if status == "billable":
        charge = charge_for(ticket)
        if rate == PREPAID:
            assert charge.use_prepaid
        else:
            assert charge.rate == Decimal(rate)


# who, channel, type, extra, status, reason, rate
HRPLUS = [
    ("hrplus-novak", "portal", "question", {}, "covered", "covered", None),
    ("hrplus-novak", "email", "incident", {}, "covered", "covered", None),
    ("hrplus-novak", "phone", "question", {}, "covered", "covered", None),
    ("hrplus-dvorakova", "portal", "bug", {}, "covered", "covered", None),
    ("hrplus-uzivatel", "portal", "question", {}, "rejected", "not_authorised", None),
    (
        "hrplus-novak",
        "portal",
        "question",
        {"scope": "third_party"},
        "rejected",
        "out_of_scope",
        None,
    ),
    ("hrplus-novak", "portal", "question", {"scope": "training"}, "rejected", "out_of_scope", None),
    (
        "hrplus-novak",
        "email",
        "question",
        {"language": "en", **ENGLISH},
        "rejected",
        "language",
        None,
    ),
    ("hrplus-novak", "portal", "question", ENGLISH, "rejected", "language", None),
    (
        "hrplus-novak",
        "portal",
        "bug",
        {"version": "2024.1"},
        "rejected",
        "unsupported_version",
        None,
    ),
    # in implementation support serves the functions being implemented (test_hrplus_matrix)
    (
        "hrplus-svoboda",
        "phone",
        "implementation",
        {},
        "rejected",
        "function_not_in_implementation",
        None,
    ),
    # ... on every channel: a portal request naming no function being implemented neither
    (
        "hrplus-svoboda",
        "portal",
        "implementation",
        {},
        "rejected",
        "function_not_in_implementation",
        None,
    ),
    # one-time order: the collector online, the phone from the prepaid package
    ("hrplus-horak", "portal", "question", {}, "rejected", "channel_not_in_plan", None),
    ("hrplus-horak", "email", "question", {}, "rejected", "channel_not_in_plan", None),
    ("hrplus-horak", "phone", "question", {}, "billable", "channel_billable", PREPAID),
    # anyone through the collector; the answer goes to the e-mail given
    (None, "webform", "question", {}, "covered", "public_question", None),
    (None, "webform", "bug", {}, "covered", "public_question", None),
]


@pytest.mark.parametrize("who,channel,type,extra,status,reason,rate", HRPLUS)
def test_hrplus(seed, who, channel, type, extra, status, reason, rate):
    vendor = seed("hrplus")
    ticket = file_ticket(vendor, who, channel=channel, type=type, **extra)
    check(ticket, status, reason, rate)


@pytest.mark.parametrize(
    "channel,status,reason",
    [("webform", "covered", "public_question"), ("portal", "rejected", "public_form_only"),
     ("phone", "rejected", "public_form_only"), ("email", "rejected", "public_form_only")],
)  # fmt: skip
def test_hrplus_prospect_only_through_the_collector(seed, channel, status, reason):
    from podpora.customers.models import Organization

    vendor = seed("hrplus")
    prospect = Organization.objects.get(vendor=vendor, stage="prospect")
    ticket = file_ticket(vendor, channel=channel, organization=prospect, requester_name="Host")
    check(ticket, status, reason, None)


def test_hrplus_one_time_phone_is_billed_at_the_price_list_once_the_package_is_gone(seed):
    from podpora.billing.services import log_time

    from .conftest import staff

    vendor = seed("hrplus")
    first = file_ticket(vendor, "hrplus-horak", channel="phone")
    log_time(first, staff("hrplus-agent"), 600, "konzultace", worked_on=TODAY)
    later = file_ticket(vendor, "hrplus-horak", channel="phone", on=TODAY + dt.timedelta(days=1))
    check(later, "billable", "channel_billable", "1500")


CLOUDEMPIERE = [
    ("ce-kovac", "portal", "incident", {}, "covered", "covered", None),
    ("ce-kovac", "email", "change", {"language": "en"}, "covered", "covered", None),
    ("ce-horvathova", "phone", "question", {}, "covered", "covered", None),
    ("ce-horvathova", "portal", "problem", {}, "covered", "covered", None),
    (
        "ce-horvathova",
        "phone",
        "service",
        {"scope": "operations"},
        "rejected",
        "out_of_scope",
        None,
    ),
    # no public form: the portal is the central point
    (None, "webform", "question", {}, "rejected", "no_contract", None),
]


@pytest.mark.parametrize("who,channel,type,extra,status,reason,rate", CLOUDEMPIERE)
def test_cloudempiere(seed, who, channel, type, extra, status, reason, rate):
    vendor = seed("cloudempiere")
    ticket = file_ticket(vendor, who, channel=channel, type=type, **extra)
    check(ticket, status, reason, rate)


def test_cloudempiere_remote_only_under_the_strategic_level(seed):
    vendor = seed("cloudempiere")
    strategic = file_ticket(vendor, "ce-kovac", channel="phone")
    basic = file_ticket(vendor, "ce-horvathova", channel="phone")
    assert judge(strategic, "remote", TODAY).status == "covered"
    assert judge(basic, "remote", TODAY).reason == "channel_not_in_plan"


END = TODAY + dt.timedelta(days=140)  # Obec Rusava's licence: START ends on its max version date

# who, channel, type, day, extra, status, reason, rate
ESTELAR = [
    ("estelar-kratochvil", "portal", "question", TODAY, {}, "covered", "covered", None),
    ("estelar-kratochvil", "phone", "implementation", TODAY, {}, "covered", "covered", None),
    ("estelar-kratochvil", "email", "question", TODAY, {}, "covered", "covered", None),
    # START does not include global configuration or data exports; warranty takes bugs only
    (
        "estelar-kratochvil",
        "portal",
        "bug",
        TODAY,
        {"scope": "data_export"},
        "covered",
        "covered",
        None,
    ),
    # the day START ends: the day before and the last day are START's
    (
        "estelar-kratochvil",
        "phone",
        "question",
        END - dt.timedelta(days=1),
        {},
        "covered",
        "covered",
        None,
    ),
    ("estelar-kratochvil", "phone", "question", END, {}, "covered", "covered", None),
    # the day after: warranty only; a bug is covered, a question is a paid intervention
    (
        "estelar-kratochvil",
        "phone",
        "bug",
        END + dt.timedelta(days=1),
        {},
        "covered",
        "covered",
        None,
    ),
    (
        "estelar-kratochvil",
        "phone",
        "question",
        END + dt.timedelta(days=1),
        {},
        "billable",
        "warranty_only",
        "900",
    ),
    (
        "estelar-kratochvil",
        "portal",
        "implementation",
        END + dt.timedelta(days=1),
        {},
        "billable",
        "warranty_only",
        "900",
    ),
    # START long over, nothing paid: warranty only
    ("estelar-bartos", "portal", "bug", TODAY, {}, "covered", "covered", None),
    ("estelar-bartos", "phone", "question", TODAY, {}, "billable", "warranty_only", "900"),
    # paid HOTLINE
    ("estelar-vesela", "phone", "question", TODAY, {}, "covered", "covered", None),
    ("estelar-vesela", "portal", "implementation", TODAY, {}, "covered", "covered", None),
    # without the licence number the service cannot be checked on the phone
    (
        "estelar-kratochvil",
        "phone",
        "question",
        TODAY,
        {"licence": None},
        "rejected",
        "licence_required",
        None,
    ),
    (
        "estelar-bartos",
        "phone",
        "bug",
        TODAY,
        {"licence": None},
        "rejected",
        "licence_required",
        None,
    ),
    # HOTLINE is a contract: the organisation is enough
    ("estelar-vesela", "phone", "question", TODAY, {"licence": None}, "covered", "covered", None),
    # the portal, e-mail and API name no licence: the organisation's licence counts
    *[
        ("estelar-kratochvil", ch, "question", TODAY, {"licence": None}, "covered", "covered", None)
        for ch in ("portal", "email")
    ],
    # the API is no channel of START: refused for that reason, not for want of a contract
    (
        "estelar-kratochvil",
        "api",
        "question",
        TODAY,
        {"licence": None},
        "rejected",
        "channel_not_in_plan",
        None,
    ),
    ("estelar-bartos", "portal", "bug", TODAY, {"licence": None}, "covered", "covered", None),
    (None, "webform", "question", TODAY, {}, "rejected", "no_contract", None),
]


@pytest.mark.parametrize("who,channel,type,day,extra,status,reason,rate", ESTELAR)
def test_estelar(seed, who, channel, type, day, extra, status, reason, rate):
    vendor = seed("estelar")
    ticket = file_ticket(vendor, who, channel=channel, type=type, on=day, **extra)
    check(ticket, status, reason, rate)


def test_estelar_plan_names_the_start_and_the_warranty(seed):
    vendor = seed("estelar")
    during = file_ticket(vendor, "estelar-kratochvil", channel="phone", on=END)
    after = file_ticket(
        vendor, "estelar-kratochvil", channel="phone", type="bug", on=END + dt.timedelta(days=1)
    )
    assert during.plan.name == "HOTLINE START" and after.plan.name == "Záruční servis"


INTOUCH = [
    ("intouch-prochazka", "phone", "question", {}, "covered", "covered", None),
    ("intouch-prochazka", "email", "incident", {}, "covered", "covered", None),
    ("intouch-cerna", "portal", "bug", {}, "covered", "covered", None),
    # the version in use must be stated
    (
        "intouch-prochazka",
        "phone",
        "question",
        {"version": None},
        "rejected",
        "version_not_stated",
        None,
    ),
    (
        "intouch-prochazka",
        "email",
        "question",
        {"version": None},
        "rejected",
        "version_not_stated",
        None,
    ),
    # on-site service interventions are paid; installing, programming, consulting are not support
    (
        "intouch-prochazka",
        "phone",
        "service",
        {"scope": "onsite"},
        "billable",
        "scope_billable",
        "1200",
    ),
    (
        "intouch-prochazka",
        "email",
        "service",
        {"scope": "installation"},
        "rejected",
        "out_of_scope",
        None,
    ),
    (
        "intouch-prochazka",
        "phone",
        "change",
        {"scope": "programming"},
        "rejected",
        "out_of_scope",
        None,
    ),
    # Czech only
    (
        "intouch-cerna",
        "email",
        "question",
        {"language": "en", **ENGLISH},
        "rejected",
        "language",
        None,
    ),
    ("intouch-cerna", "portal", "question", ENGLISH, "rejected", "language", None),
    (
        "intouch-cerna",
        "phone",
        "question",
        {"request_language": "en"},
        "rejected",
        "language",
        None,
    ),
    ("intouch-cerna", "api", "question", ENGLISH, "rejected", "language", None),
    # a Czech customer writing a short or a Czech text is served
    ("intouch-cerna", "email", "question", {"body": "Nefunguje tisk"}, "covered", "covered", None),
    # nobody recognised: asked for the IČO or company name and their name, on every channel
    (None, "webform", "question", {}, "rejected", "not_identified", None),
    (None, "email", "question", {}, "rejected", "not_identified", None),
    (None, "phone", "question", {}, "rejected", "not_identified", None),
]


@pytest.mark.parametrize("who,channel,type,extra,status,reason,rate", INTOUCH)
def test_intouch(seed, who, channel, type, extra, status, reason, rate):
    vendor = seed("intouch")
    ticket = file_ticket(vendor, who, channel=channel, type=type, **extra)
    check(ticket, status, reason, rate)


def test_intouch_phone_without_identification_is_refused(seed):
    from podpora.customers.models import Organization

    vendor = seed("intouch")
    org = Organization.objects.get(vendor=vendor, name="Autodíly Ústí s.r.o.")
    nobody = file_ticket(vendor, channel="phone", organization=org, requester_name="")
    assert nobody.entitlement_status == "rejected"
    unknown = file_ticket(vendor, channel="phone", organization=None)
    assert unknown.entitlement_status == "rejected"


HARMONIK = [
    ("harmonik-jelinek", "email", "question", {}, "covered", "covered", None),
    ("harmonik-jelinek", "phone", "problem", {}, "covered", "covered", None),
    ("harmonik-pokorna", "portal", "question", {}, "covered", "covered", None),
    ("harmonik-pokorna", "phone", "question", {"version": None}, "covered", "covered", None),
]


@pytest.mark.parametrize("who,channel,type,extra,status,reason,rate", HARMONIK)
def test_harmonik(seed, who, channel, type, extra, status, reason, rate):
    vendor = seed("harmonik")
    ticket = file_ticket(vendor, who, channel=channel, type=type, **extra)
    check(ticket, status, reason, rate)


def harmonik_as_its_page_says(seed):
    """The page: without "remote access" the phone answers without connecting to the computer.

    The demo lists remote as a paid channel of the basic plan; remote access is sold only as the
    yearly service, so here the plan has no paid remote channel.
    """
    from podpora.customers.models import Plan

    vendor = seed("harmonik")
    Plan.objects.filter(vendor=vendor, code="zakladni").update(billable_channels=[])
    return vendor


def test_harmonik_remote_access_only_with_the_subscription(seed):
    from podpora.billing.subscriptions import subscribe

    vendor = harmonik_as_its_page_says(seed)
    ticket = file_ticket(vendor, "harmonik-jelinek", channel="phone")
    assert judge(ticket, "remote", TODAY).reason == "channel_not_in_plan"
    subscribe(ticket.organization, vendor.services.get(code="vzdaleny-pristup-pc"), TODAY.year)
    assert judge(ticket, "remote", TODAY).status == "covered"
    # a calendar year: not the next one without a renewal
    assert judge(ticket, "remote", dt.date(TODAY.year + 1, 1, 2)).status == "rejected"
    # e-mail and phone stay free for everyone
    assert judge(ticket, "email", TODAY).status == "covered"


def test_harmonik_new_product_brings_remote_access_free_next_year(seed):
    from podpora.billing.subscriptions import grant_purchase_bonus

    vendor = harmonik_as_its_page_says(seed)
    ticket = file_ticket(vendor, "harmonik-pokorna", channel="phone")
    sub = grant_purchase_bonus(ticket.organization, dt.date(TODAY.year - 1, 11, 20))
    assert (sub.year, sub.price) == (TODAY.year, 0) and sub.free_reason
    assert judge(ticket, "remote", TODAY).status == "covered"
    assert judge(ticket, "remote", dt.date(TODAY.year + 1, 1, 5)).status == "rejected"


def test_harmonik_ticket_entitlement_reads_the_subscription(seed):
    import copy

    from podpora.billing.subscriptions import subscribe
    from podpora.customers.services import evaluate_ticket

    vendor = harmonik_as_its_page_says(seed)
    ticket = file_ticket(vendor, "harmonik-jelinek", channel="phone")
    probe = copy.copy(ticket)
    probe.channel = "remote"
    assert evaluate_ticket(probe, TODAY)[0].status == "rejected"
    subscribe(ticket.organization, vendor.services.get(code="vzdaleny-pristup-ip"), TODAY.year)
    result, plan = evaluate_ticket(probe, TODAY)
    assert result.status == "covered" and plan is not None
