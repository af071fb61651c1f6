"""Entitlement rules, one table per seed vendor, set up as its page says.

Each row is a request and the expected answer; the tables are the readable spec of what each
vendor's support centre does with its customers' requests. Pure: no Django, no database.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podpora.customers.entitlements import (
    BILLING_MODES,
    CHANNELS,
    PLAN_KINDS,
    REASONS,
    REQUESTERS,
    SCOPES,
    SOURCES,
    TICKET_TYPES,
    ContractFacts,
    Entitlement,
    LicenceFacts,
    PlanTerms,
    RequestFacts,
    Status,
    add_months,
    evaluate,
    start_contract,
    start_end,
    start_ending,
)

COVERED, BILLABLE, REJECTED = Status.COVERED, Status.BILLABLE, Status.REJECTED


def request(on: date = date(2025, 6, 10), **changes: Any) -> RequestFacts:
    """An identified authorised Czech customer asking a question in the portal."""
    base = RequestFacts(
        on=on,
        channel="portal",
        ticket_type="question",
        scope=None,
        language="cs",
        requester="authorised",
        identified=True,
        version_stated=True,
        version_supported_until=None,
        prepaid_minutes_left=None,
    )
    return dataclasses.replace(base, **changes)


@dataclass(frozen=True)
class Case:
    """One table row: who has what, what they ask, and what the answer must be."""

    contracts: str  # key into the vendor's table of contracts (or set-ups)
    ask: dict[str, Any]  # changes to the default request
    status: Status
    reason: str
    expect: dict[str, Any] = field(default_factory=dict)  # further Entitlement fields


def rows(cases: dict[str, Case]) -> list[Any]:
    return [pytest.param(case, id=name) for name, case in cases.items()]


def check(result: Entitlement, case: Case) -> None:
    assert (result.status, result.reason) == (case.status, case.reason), result
    for name, value in case.expect.items():
        assert getattr(result, name) == value, (name, result)
    assert result.message == REASONS[result.reason]
    result.message.format(**result.params)  # every placeholder has its parameter


# --- HR Plus: "Centrum podpory" ----------------------------------------------------------------
# Not covered for anyone: third-party integration, training, foreign languages, delivering
# operational services (consulting, operational support); unsupported versions refused.
HR_REFUSED = {"third_party", "training", "operations", "consulting"}
HR_IMPLEMENTATION = PlanTerms(
    "implementace",
    "implementation",
    channels={"portal", "phone"},
    excluded_scopes=HR_REFUSED,
    languages={"cs"},
)
HR_MAINTENANCE = PlanTerms(
    "smlouva-sla",
    "maintenance",
    channels={"portal", "phone"},
    excluded_scopes=HR_REFUSED,
    languages={"cs"},
    billing_mode="prepaid_then_price_list",
)
HR_ONE_TIME = PlanTerms(
    "jednorazova-objednavka",
    "one_time",
    channels={"webform"},
    billable_channels={"phone"},
    excluded_scopes=HR_REFUSED,
    languages={"cs"},
    billing_mode="prepaid_then_price_list",
)
HR_COLLECTOR = PlanTerms(
    "kolektor", "prospect", channels={"webform"}, covered_types={"question"}, languages={"cs"}
)
HR_RATE = Decimal("1450.00")
HR_DAY = date(2025, 6, 10)
HR_CONTRACTS = {
    "implementation": [ContractFacts(11, HR_IMPLEMENTATION, date(2025, 1, 1), date(2025, 12, 31))],
    "maintenance": [ContractFacts(12, HR_MAINTENANCE, date(2024, 1, 1), None)],
    "one_time": [ContractFacts(13, HR_ONE_TIME, date(2025, 5, 1), date(2025, 7, 31))],
    "expired": [ContractFacts(14, HR_MAINTENANCE, date(2022, 1, 1), date(2024, 12, 31))],
    "none": [],
}
IMPL = frozenset({"Mzdy", "Docházka"})
HR_CASES = {
    "implementation-portal-incident": Case(
        "implementation", {"ticket_type": "incident"}, COVERED, "covered", {"contract_id": 11}
    ),
    "implementation-phone-configuration": Case(
        "implementation", {"channel": "phone", "ticket_type": "implementation"}, COVERED, "covered"
    ),
    # every channel serves the functions being implemented (when they are recorded)
    **{
        f"implementation-{channel}-function-{name}": Case(
            "implementation",
            {"channel": channel, "function": function, "functions_in_implementation": IMPL},
            status,
            reason,
        )
        for channel, name, function, status, reason in [
            ("phone", "implemented", "Mzdy", COVERED, "covered"),
            ("phone", "other", "Školení", REJECTED, "function_not_in_implementation"),
            ("phone", "none", None, REJECTED, "function_not_in_implementation"),
            ("portal", "implemented", "Mzdy", COVERED, "covered"),
            ("portal", "other", "Školení", REJECTED, "function_not_in_implementation"),
            ("portal", "none", None, REJECTED, "function_not_in_implementation"),
            ("email", "none", None, REJECTED, "function_not_in_implementation"),
            ("api", "other", "Školení", REJECTED, "function_not_in_implementation"),
        ]
    },
    "implementation-phone-functions-not-recorded": Case(
        "implementation", {"channel": "phone", "function": None}, COVERED, "covered"
    ),
    "implementation-phone-names-the-functions": Case(
        "implementation",
        {"channel": "phone", "functions_in_implementation": IMPL},
        REJECTED,
        "function_not_in_implementation",
        {"params": {"plan": "implementace", "functions": "Docházka, Mzdy"}},
    ),
    "maintenance-phone-functions-not-checked": Case(
        "maintenance", {"channel": "phone", "functions_in_implementation": IMPL}, COVERED, "covered"
    ),
    **{
        f"maintenance-portal-{kind}": Case(
            "maintenance", {"ticket_type": kind}, COVERED, "covered", {"contract_id": 12}
        )
        for kind in TICKET_TYPES
    },
    "maintenance-phone-incident-by-sla": Case(
        "maintenance", {"channel": "phone", "ticket_type": "incident"}, COVERED, "covered"
    ),
    "maintenance-customer-admin": Case(
        "maintenance", {"requester": "customer_admin"}, COVERED, "covered"
    ),
    "maintenance-registers-operational-service": Case(
        "maintenance", {"ticket_type": "service"}, COVERED, "covered"
    ),
    "maintenance-email-not-a-channel": Case(
        "maintenance", {"channel": "email"}, REJECTED, "channel_not_in_plan"
    ),
    "maintenance-collector-open-to-all": Case(
        "maintenance", {"channel": "webform"}, COVERED, "public_question", {"plan": "kolektor"}
    ),
    "one-time-collector-question": Case(
        "one_time", {"channel": "webform"}, COVERED, "covered", {"contract_id": 13}
    ),
    "one-time-phone-from-package": Case(
        "one_time",
        {"channel": "phone", "prepaid_minutes_left": 120},
        BILLABLE,
        "channel_billable",
        {"source": "prepaid", "rate": None, "contract_id": 13},
    ),
    "one-time-phone-package-used-up": Case(
        "one_time",
        {"channel": "phone", "prepaid_minutes_left": 0},
        BILLABLE,
        "channel_billable",
        {"source": "price_list", "rate": HR_RATE},
    ),
    "one-time-phone-no-package": Case(
        "one_time", {"channel": "phone"}, BILLABLE, "channel_billable", {"source": "price_list"}
    ),
    "one-time-collector-incident": Case(
        "one_time",
        {"channel": "webform", "ticket_type": "incident"},
        COVERED,
        "covered",
        {"contract_id": 13},
    ),
    "one-time-no-portal": Case("one_time", {}, REJECTED, "channel_not_in_plan"),
    "prospect-collector": Case(
        "none", {"requester": "prospect", "channel": "webform"}, COVERED, "public_question"
    ),
    "anonymous-collector-any-type-is-a-question": Case(
        "none",
        {"requester": "anonymous", "channel": "webform", "ticket_type": "bug"},
        COVERED,
        "public_question",
        {"contract_id": None, "plan": "kolektor"},
    ),
    "prospect-phone": Case(
        "none", {"requester": "prospect", "channel": "phone"}, REJECTED, "public_form_only"
    ),
    "prospect-portal": Case("none", {"requester": "prospect"}, REJECTED, "public_form_only"),
    "prospect-in-english": Case(
        "none",
        {"requester": "prospect", "channel": "webform", "language": "en"},
        REJECTED,
        "language",
    ),
    "end-user-of-customer": Case(
        "maintenance", {"requester": "end_user"}, REJECTED, "not_authorised"
    ),
    "end-user-on-the-phone": Case(
        "implementation", {"requester": "end_user", "channel": "phone"}, REJECTED, "not_authorised"
    ),
    "end-user-without-contract": Case(
        "none", {"requester": "end_user"}, REJECTED, "not_authorised"
    ),
    "expired-contract": Case(
        "expired", {}, REJECTED, "contract_expired", {"params": {"valid_to": "2024-12-31"}}
    ),
    "expired-contract-may-still-ask-the-collector": Case(
        "expired", {"channel": "webform"}, COVERED, "public_question"
    ),
    "no-contract": Case("none", {}, REJECTED, "no_contract"),
    "unsupported-version": Case(
        "maintenance",
        {"version_supported_until": date(2025, 6, 9)},
        REJECTED,
        "unsupported_version",
        {"params": {"plan": "smlouva-sla", "supported_until": "2025-06-09"}},
    ),
    "version-supported-through-today": Case(
        "maintenance", {"version_supported_until": HR_DAY}, COVERED, "covered"
    ),
    "third-party-integration": Case(
        "maintenance", {"scope": "third_party"}, REJECTED, "out_of_scope"
    ),
    "product-training": Case("maintenance", {"scope": "training"}, REJECTED, "out_of_scope"),
    "operational-services": Case(
        "maintenance", {"ticket_type": "service", "scope": "operations"}, REJECTED, "out_of_scope"
    ),
    "consulting": Case("implementation", {"scope": "consulting"}, REJECTED, "out_of_scope"),
    "english-request": Case("maintenance", {"language": "en"}, REJECTED, "language"),
    "slovak-is-foreign-too": Case("maintenance", {"language": "sk"}, REJECTED, "language"),
    "czech-locale-tag": Case("maintenance", {"language": "cs-CZ"}, COVERED, "covered"),
}


@pytest.mark.parametrize("case", rows(HR_CASES))
def test_hrplus(case: Case) -> None:
    result = evaluate(
        request(HR_DAY, **case.ask),
        HR_CONTRACTS[case.contracts],
        price_list_rate=HR_RATE,
        public_plan=HR_COLLECTOR,
    )
    check(result, case)


# --- cloudempiere: levels by account type, SLA contract on request ------------------------------
# Phone covers questions on basic functions, not handling user data nor logging into the
# customer's system ("operations"); the portal runs 365/24/7 (business hours are the SLA's job).
CE_BASIC = PlanTerms(
    "zakladna-uroven", "basic", channels={"portal", "phone"}, excluded_scopes={"operations"}
)
CE_SLA = PlanTerms("sla-zmluva", "maintenance", channels={"portal", "phone", "email", "remote"})
CE_SUNDAY = date(2025, 6, 8)
CE_CONTRACTS = {
    "basic": [ContractFacts(21, CE_BASIC, date(2024, 3, 1), None)],
    "sla": [
        ContractFacts(22, CE_SLA, date(2025, 1, 1), date(2025, 12, 31)),
        ContractFacts(21, CE_BASIC, date(2024, 3, 1), None),
    ],
    "none": [],
}
CE_CASES = {
    **{
        f"basic-portal-sunday-{kind}": Case("basic", {"ticket_type": kind}, COVERED, "covered")
        for kind in ("incident", "problem", "change", "service", "bug", "question")
    },
    "basic-phone-question": Case("basic", {"channel": "phone"}, COVERED, "covered"),
    "basic-phone-user-data": Case(
        "basic", {"channel": "phone", "scope": "operations"}, REJECTED, "out_of_scope"
    ),
    "basic-portal-log-into-customer-system": Case(
        "basic", {"ticket_type": "service", "scope": "operations"}, REJECTED, "out_of_scope"
    ),
    "basic-remote-session": Case("basic", {"channel": "remote"}, REJECTED, "channel_not_in_plan"),
    "basic-slovak": Case("basic", {"language": "sk"}, COVERED, "covered"),
    "basic-english": Case("basic", {"language": "en"}, COVERED, "covered"),
    "sla-email": Case("sla", {"channel": "email"}, COVERED, "covered", {"contract_id": 22}),
    "sla-user-data": Case(
        "sla", {"scope": "operations"}, COVERED, "covered", {"plan": "sla-zmluva"}
    ),
    "sla-remote": Case("sla", {"channel": "remote"}, COVERED, "covered"),
    "sla-portal-prefers-first-listed": Case("sla", {}, COVERED, "covered", {"contract_id": 22}),
    "no-account": Case("none", {}, REJECTED, "no_contract"),
    "prospect-has-no-form": Case("none", {"requester": "prospect"}, REJECTED, "no_contract"),
}


@pytest.mark.parametrize("case", rows(CE_CASES))
def test_cloudempiere(case: Case) -> None:
    check(evaluate(request(CE_SUNDAY, **case.ask), CE_CONTRACTS[case.contracts]), case)


# --- ESTELAR: HOTLINE START, then warranty or paid HOTLINE --------------------------------------
# START does not replace training or global configuration, nor include data-export
# configuration; the licence number is always given on the phone (identified).
ES_REFUSED = {"training", "global_configuration", "data_export"}
ES_START = PlanTerms(
    "HOTLINE START",
    "start",
    channels={"portal", "phone"},
    excluded_scopes=ES_REFUSED,
    require_identification=True,
    require_supported_version=False,
)
ES_HOTLINE = dataclasses.replace(ES_START, code="HOTLINE", kind="maintenance")
ES_WARRANTY = PlanTerms(
    "zarucni-servis",
    "warranty",
    channels={"portal", "phone"},
    covered_types={"bug"},
    excluded_scopes=ES_REFUSED,
    require_identification=True,
    require_supported_version=False,
    billing_mode="price_list",
)
ES_RATE = Decimal("890.00")
ES_LICENCE = LicenceFacts("ACS-0042", date(2025, 3, 10), None)  # START to 2025-09-10
ES_MAX_DATE = LicenceFacts("ACS-0043", date(2025, 3, 10), date(2025, 8, 31))
ES_HOTLINE_PAID = [ContractFacts(31, ES_HOTLINE, date(2025, 9, 11), date(2026, 9, 10))]
ES_SETUPS: dict[str, tuple[LicenceFacts, list[ContractFacts]]] = {
    "licence": (ES_LICENCE, []),
    "max-date": (ES_MAX_DATE, []),
    "hotline": (ES_LICENCE, ES_HOTLINE_PAID),
    "not-activated": (LicenceFacts("ACS-0044", None, None), []),
}
DURING, AFTER = date(2025, 5, 5), date(2025, 9, 11)
START_PLAN = {"plan": "HOTLINE START", "contract_id": None}
ES_CASES = {
    "start-on-activation-day": Case(
        "licence", {"on": date(2025, 3, 10)}, COVERED, "covered", START_PLAN
    ),
    "start-day-before-end": Case(
        "licence", {"on": date(2025, 9, 9)}, COVERED, "covered", START_PLAN
    ),
    "start-last-day": Case("licence", {"on": date(2025, 9, 10)}, COVERED, "covered", START_PLAN),
    "after-start-question-billable": Case(
        "licence",
        {"on": AFTER},
        BILLABLE,
        "warranty_only",
        {"source": "price_list", "rate": ES_RATE},
    ),
    "after-start-bug-under-warranty": Case(
        "licence",
        {"on": AFTER, "ticket_type": "bug"},
        COVERED,
        "covered",
        {"plan": "zarucni-servis"},
    ),
    "max-version-date-last-day": Case(
        "max-date", {"on": date(2025, 8, 31)}, COVERED, "covered", START_PLAN
    ),
    "max-version-date-day-after": Case(
        "max-date", {"on": date(2025, 9, 1)}, BILLABLE, "warranty_only"
    ),
    "start-phone-with-licence-number": Case(
        "licence", {"on": DURING, "channel": "phone"}, COVERED, "covered"
    ),
    "start-phone-without-licence-number": Case(
        "licence",
        {"on": DURING, "channel": "phone", "identified": False},
        REJECTED,
        "not_identified",
    ),
    "warranty-phone-without-licence-number": Case(
        "licence",
        {"on": AFTER, "channel": "phone", "ticket_type": "bug", "identified": False},
        REJECTED,
        "not_identified",
    ),
    # the licence known only from the organisation (identified by IČO and name): on the phone
    # the number must be given; in the portal or e-mail the organisation's licence counts
    "start-phone-licence-not-stated": Case(
        "licence",
        {"on": DURING, "channel": "phone", "licence_stated": False},
        REJECTED,
        "licence_required",
    ),
    "warranty-phone-licence-not-stated": Case(
        "licence",
        {"on": AFTER, "channel": "phone", "ticket_type": "bug", "licence_stated": False},
        REJECTED,
        "licence_required",
    ),
    "start-portal-licence-of-the-organisation": Case(
        "licence", {"on": DURING, "licence_stated": False}, COVERED, "covered", START_PLAN
    ),
    "paid-hotline-phone-licence-not-stated": Case(
        "hotline",
        {"on": date(2026, 2, 2), "channel": "phone", "licence_stated": False},
        COVERED,
        "covered",
        {"contract_id": 31},
    ),
    "not-activated-phone-licence-not-stated": Case(
        "not-activated",
        {"on": DURING, "channel": "phone", "licence_stated": False},
        REJECTED,
        "no_contract",
    ),
    "start-operational-configuration-consulting": Case(
        "licence", {"on": DURING, "scope": "consulting"}, COVERED, "covered"
    ),
    "start-no-training": Case(
        "licence", {"on": DURING, "scope": "training"}, REJECTED, "out_of_scope"
    ),
    "start-no-global-configuration": Case(
        "licence", {"on": DURING, "scope": "global_configuration"}, REJECTED, "out_of_scope"
    ),
    "start-no-data-export-configuration": Case(
        "licence",
        {"on": DURING, "scope": "data_export"},
        REJECTED,
        "out_of_scope",
        {"params": {"plan": "HOTLINE START", "scope": "data_export"}},
    ),
    "start-no-email": Case(
        "licence", {"on": DURING, "channel": "email"}, REJECTED, "channel_not_in_plan"
    ),
    "paid-hotline-after-start": Case(
        "hotline", {"on": AFTER}, COVERED, "covered", {"contract_id": 31, "plan": "HOTLINE"}
    ),
    "paid-hotline-phone": Case(
        "hotline",
        {"on": date(2026, 2, 2), "channel": "phone"},
        COVERED,
        "covered",
        {"contract_id": 31},
    ),
    "paid-hotline-lapsed": Case("hotline", {"on": date(2026, 9, 11)}, BILLABLE, "warranty_only"),
    "licence-not-activated": Case("not-activated", {"on": DURING}, REJECTED, "no_contract"),
    "before-activation": Case("licence", {"on": date(2025, 3, 9)}, REJECTED, "no_contract"),
}


@pytest.mark.parametrize("case", rows(ES_CASES))
def test_estelar(case: Case) -> None:
    licence, contracts = ES_SETUPS[case.contracts]
    result = evaluate(
        request(**case.ask),
        contracts,
        price_list_rate=ES_RATE,
        start_plan=ES_START,
        warranty_plan=ES_WARRANTY,
        licence=licence,
    )
    check(result, case)


@pytest.mark.parametrize(
    ("activated", "max_version_date", "valid_to"),
    [
        pytest.param(date(2025, 3, 10), None, date(2025, 9, 10), id="six-months"),
        pytest.param(date(2025, 8, 31), None, date(2026, 2, 28), id="short-month-clamps"),
        pytest.param(date(2023, 8, 31), None, date(2024, 2, 29), id="leap-february"),
        pytest.param(date(2025, 7, 15), None, date(2026, 1, 15), id="across-new-year"),
        pytest.param(date(2025, 3, 10), date(2025, 8, 31), date(2025, 8, 31), id="max-date-wins"),
    ],
)
def test_start_contract(activated: date, max_version_date: date | None, valid_to: date) -> None:
    start = start_contract(LicenceFacts("L", activated, max_version_date), ES_START)
    assert start == ContractFacts(None, ES_START, activated, valid_to)


def test_start_contract_needs_an_activated_licence() -> None:
    assert start_contract(LicenceFacts("L", None, None), ES_START) is None
    assert start_contract(LicenceFacts("L", date(2025, 5, 1), date(2025, 4, 30)), ES_START) is None


@pytest.mark.parametrize(
    ("today", "warn"),
    [
        pytest.param(date(2025, 8, 10), False, id="31-days-before"),
        pytest.param(date(2025, 8, 11), True, id="30-days-before"),
        pytest.param(date(2025, 9, 10), True, id="last-day"),
        pytest.param(date(2025, 9, 11), False, id="ended"),
        pytest.param(date(2025, 3, 10), False, id="just-activated"),
    ],
)
def test_start_ending(today: date, warn: bool) -> None:
    assert start_ending(ES_LICENCE, today) is warn


def test_start_ending_follows_max_version_date_and_activation() -> None:
    assert start_ending(ES_MAX_DATE, date(2025, 8, 1))
    assert not start_ending(ES_MAX_DATE, date(2025, 9, 1))
    assert not start_ending(LicenceFacts("L", None, None), date(2025, 8, 1))
    assert start_ending(ES_LICENCE, date(2025, 9, 1), warn_days=10)
    assert not start_ending(ES_LICENCE, date(2025, 8, 30), warn_days=10)


# --- InTouch CRM: phone and e-mail help, Czech only, identification and version required --------
# "Not part of support": on-site interventions are sold at the price list; installation,
# programming, professional consulting and analytical work are refused (separate orders).
IT_SUPPORT = PlanTerms(
    "technicka-podpora",
    "maintenance",
    channels={"phone", "email"},
    excluded_scopes={"installation", "programming", "consulting", "analysis"},
    billable_scopes={"onsite"},
    languages={"cs"},
    require_supported_version=False,
    require_identification=True,
    require_version_stated=True,
    serves_end_users=True,
)
IT_RATE = Decimal("1200.00")
IT_DAY = date(2025, 11, 4)
IT_CONTRACTS = {
    "support": [ContractFacts(41, IT_SUPPORT, date(2025, 1, 1), date(2025, 12, 31))],
    "none": [],
}
IT_CASES = {
    "phone-question": Case(
        "support", {"channel": "phone"}, COVERED, "covered", {"contract_id": 41}
    ),
    "email-incident": Case(
        "support", {"channel": "email", "ticket_type": "incident"}, COVERED, "covered"
    ),
    "email-administration-question": Case("support", {"channel": "email"}, COVERED, "covered"),
    "user-of-licensee-identified": Case(
        "support", {"channel": "phone", "requester": "end_user"}, COVERED, "covered"
    ),
    "old-version-not-forced-to-update": Case(
        "support",
        {"channel": "email", "version_supported_until": date(2020, 1, 1)},
        COVERED,
        "covered",
    ),
    "no-portal": Case(
        "support",
        {},
        REJECTED,
        "channel_not_in_plan",
        {"params": {"plan": "technicka-podpora", "channel": "portal"}},
    ),
    "no-webform": Case("support", {"channel": "webform"}, REJECTED, "channel_not_in_plan"),
    "slovak": Case(
        "support",
        {"channel": "phone", "language": "sk"},
        REJECTED,
        "language",
        {"params": {"plan": "technicka-podpora", "languages": "cs"}},
    ),
    "english": Case("support", {"channel": "email", "language": "en"}, REJECTED, "language"),
    "no-name-or-ico": Case(
        "support", {"channel": "phone", "identified": False}, REJECTED, "not_identified"
    ),
    "nothing-given": Case(
        "support",
        {"channel": "email", "identified": False, "version_stated": False},
        REJECTED,
        "not_identified",
    ),
    "version-not-stated": Case(
        "support", {"channel": "email", "version_stated": False}, REJECTED, "version_not_stated"
    ),
    "onsite-at-price-list": Case(
        "support",
        {"channel": "phone", "scope": "onsite"},
        BILLABLE,
        "scope_billable",
        {"source": "price_list", "rate": IT_RATE},
    ),
    "installation": Case(
        "support", {"channel": "email", "scope": "installation"}, REJECTED, "out_of_scope"
    ),
    "programming": Case(
        "support", {"channel": "email", "scope": "programming"}, REJECTED, "out_of_scope"
    ),
    "professional-consulting": Case(
        "support", {"channel": "phone", "scope": "consulting"}, REJECTED, "out_of_scope"
    ),
    "analytical-work": Case(
        "support", {"channel": "email", "scope": "analysis"}, REJECTED, "out_of_scope"
    ),
    "no-support-contract": Case("none", {"channel": "phone"}, REJECTED, "no_contract"),
    # an e-mail naming the company but no person of it: asked to identify, not "no contract"
    "anonymous-at-a-customer": Case(
        "support",
        {"channel": "email", "requester": "anonymous", "identified": False},
        REJECTED,
        "not_identified",
    ),
    "anonymous-nowhere": Case(
        "none", {"channel": "email", "requester": "anonymous"}, REJECTED, "no_contract"
    ),
    # nobody recognised, at a vendor that asks everyone to identify: asked who they are
    "anonymous-nowhere-identification-asked": Case(
        "none",
        {"channel": "email", "requester": "anonymous", "identification_asked": True},
        REJECTED,
        "not_identified",
    ),
    "anonymous-phone-identification-asked": Case(
        "none",
        {"channel": "phone", "requester": "anonymous", "identification_asked": True},
        REJECTED,
        "not_identified",
    ),
}


@pytest.mark.parametrize("case", rows(IT_CASES))
def test_intouch(case: Case) -> None:
    result = evaluate(
        request(IT_DAY, **case.ask), IT_CONTRACTS[case.contracts], price_list_rate=IT_RATE
    )
    check(result, case)


# --- Harmonik: e-mail and phone free; remote access and server administration per year ---------
# Without "remote access" the phone works without connecting to the customer's computer: a remote
# session is refused (the yearly subscription is offered), not billed per call. Data sent in for
# analysis is part of the free service. Server administration is its own yearly service.
HA_BASIC = PlanTerms(
    "zakladni", "basic", channels={"email", "phone"}, excluded_scopes={"operations", "onsite"}
)
HA_REMOTE_PC = PlanTerms(
    "vzdaleny-pristup-1pc", "maintenance", channels={"remote", "phone", "email"}
)
HA_SERVER = PlanTerms("sprava-serveru", "maintenance", channels={"email", "phone"})
HA_DAY = date(2026, 4, 14)
HA_BASE = ContractFacts(51, HA_BASIC, date(2025, 6, 1), None)
HA_CONTRACTS = {
    "basic": [HA_BASE],
    "remote-free-first-year": [
        ContractFacts(52, HA_REMOTE_PC, date(2026, 1, 1), date(2026, 12, 31)),
        HA_BASE,
    ],
    "remote-lapsed": [
        ContractFacts(53, HA_REMOTE_PC, date(2025, 1, 1), date(2025, 12, 31)),
        HA_BASE,
    ],
    "server": [ContractFacts(54, HA_SERVER, date(2026, 1, 1), date(2026, 12, 31)), HA_BASE],
    "none": [],
}
HA_CASES = {
    "email-question": Case("basic", {"channel": "email"}, COVERED, "covered", {"contract_id": 51}),
    "email-incident": Case(
        "basic", {"channel": "email", "ticket_type": "incident"}, COVERED, "covered"
    ),
    "phone-without-remote-access": Case("basic", {"channel": "phone"}, COVERED, "covered"),
    "data-sent-for-analysis": Case(
        "basic", {"channel": "email", "scope": "analysis"}, COVERED, "covered"
    ),
    "remote-session-needs-subscription": Case(
        "basic",
        {"channel": "remote"},
        REJECTED,
        "channel_not_in_plan",
        {"params": {"plan": "zakladni", "channel": "remote"}},
    ),
    "remote-session-free-first-year": Case(
        "remote-free-first-year", {"channel": "remote"}, COVERED, "covered", {"contract_id": 52}
    ),
    "remote-subscription-lapsed": Case(
        "remote-lapsed", {"channel": "remote"}, REJECTED, "channel_not_in_plan"
    ),
    "remote-lapsed-email-still-free": Case(
        "remote-lapsed", {"channel": "email"}, COVERED, "covered", {"contract_id": 51}
    ),
    "server-administration-without-service": Case(
        "basic", {"channel": "phone", "scope": "operations"}, REJECTED, "out_of_scope"
    ),
    "server-administration-yearly-service": Case(
        "server",
        {"channel": "phone", "scope": "operations"},
        COVERED,
        "covered",
        {"contract_id": 54},
    ),
    "server-visit-on-site": Case(
        "server", {"channel": "email", "scope": "onsite"}, COVERED, "covered"
    ),
    "no-portal": Case("basic", {}, REJECTED, "channel_not_in_plan"),
    "no-product": Case("none", {"channel": "email"}, REJECTED, "no_contract"),
}


@pytest.mark.parametrize("case", rows(HA_CASES))
def test_harmonik(case: Case) -> None:
    check(evaluate(request(HA_DAY, **case.ask), HA_CONTRACTS[case.contracts]), case)


# --- Construction and helpers ------------------------------------------------------------------
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: PlanTerms("x", "gold"), id="plan-kind"),
        pytest.param(lambda: PlanTerms("x", "basic", channels={"telegraf"}), id="plan-channel"),
        pytest.param(lambda: PlanTerms("x", "basic", billing_mode="free"), id="billing-mode"),
        pytest.param(lambda: PlanTerms("x", "basic", excluded_scopes={"Školení"}), id="plan-scope"),
        pytest.param(lambda: request(HR_DAY, channel="telegraf"), id="request-channel"),
        pytest.param(lambda: request(HR_DAY, ticket_type="wish"), id="request-type"),
        pytest.param(lambda: request(HR_DAY, requester="boss"), id="requester"),
        pytest.param(lambda: request(HR_DAY, scope="on site!"), id="request-scope"),
    ],
)
def test_unknown_values_are_refused_early(make: Any) -> None:
    with pytest.raises(ValueError, match="unknown"):
        make()


def test_plan_sets_are_frozen() -> None:
    """The Django layer may pass JSONField lists straight through."""
    plan = PlanTerms("x", "basic", channels=["email", "email"])  # type: ignore[arg-type]
    assert plan.channels == frozenset({"email"})
    assert hash(plan) == hash(PlanTerms("x", "basic", channels={"email"}))


def test_entitlement_as_dict_is_json_ready() -> None:
    result = evaluate(
        request(HR_DAY, channel="phone", prepaid_minutes_left=0),
        HR_CONTRACTS["one_time"],
        price_list_rate=HR_RATE,
    )
    assert result.as_dict() == {
        "status": "billable",
        "reason": "channel_billable",
        "params": {"plan": "jednorazova-objednavka", "channel": "phone"},
        "contract_id": 13,
        "plan": "jednorazova-objednavka",
        "rate": "1450.00",
        "source": "price_list",
    }
    hash(result)


def test_prepaid_only_plan_stops_when_package_is_used_up() -> None:
    plan = PlanTerms("balik", "one_time", billable_channels={"phone"}, billing_mode="prepaid")
    contracts = [ContractFacts(61, plan, HR_DAY, None)]
    used_up = evaluate(request(HR_DAY, channel="phone", prepaid_minutes_left=0), contracts)
    assert (used_up.status, used_up.reason) == (REJECTED, "prepaid_exhausted")
    left = evaluate(request(HR_DAY, channel="phone", prepaid_minutes_left=5), contracts)
    assert (left.status, left.source) == (BILLABLE, "prepaid")


def test_uncovered_type_is_billed_as_the_plan_says() -> None:
    plan = PlanTerms("dotazy", "one_time", channels={"email"}, covered_types={"question"})
    contracts = [ContractFacts(1, plan, HR_DAY, None)]
    bug = request(HR_DAY, channel="email", ticket_type="bug", prepaid_minutes_left=30)
    assert evaluate(bug, contracts).reason == "type_not_covered"
    billed = dataclasses.replace(plan, billing_mode="prepaid_then_price_list")
    result = evaluate(bug, [ContractFacts(1, billed, HR_DAY, None)])
    assert (result.status, result.reason, result.source) == (BILLABLE, "type_billable", "prepaid")


def test_plan_rate_beats_price_list() -> None:
    plan = dataclasses.replace(IT_SUPPORT, hourly_rate=Decimal("990"))
    result = evaluate(
        request(IT_DAY, channel="phone", scope="onsite"),
        [ContractFacts(1, plan, IT_DAY, None)],
        price_list_rate=IT_RATE,
    )
    assert (result.source, result.rate) == ("contract", Decimal("990"))


def test_most_specific_rejection_wins_across_contracts() -> None:
    czech_only = PlanTerms("a", "maintenance", channels={"email"}, languages={"cs"})
    anyone = PlanTerms("b", "maintenance", channels={"email"}, excluded_scopes={"training"})
    contracts = [ContractFacts(1, czech_only, HR_DAY, None), ContractFacts(2, anyone, HR_DAY, None)]
    result = evaluate(request(HR_DAY, channel="email", language="de", scope="training"), contracts)
    assert (result.reason, result.contract_id) == ("out_of_scope", 2)


def test_contract_not_started_yet() -> None:
    contracts = [ContractFacts(1, HR_MAINTENANCE, HR_DAY + timedelta(days=1), None)]
    result = evaluate(request(HR_DAY), contracts)
    assert (result.reason, result.params) == ("contract_not_started", {"valid_from": "2025-06-11"})


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2025, 1, 31), 1, date(2025, 2, 28), id="end-of-month"),
        pytest.param(date(2025, 12, 15), -12, date(2024, 12, 15), id="backwards"),
        pytest.param(date(9999, 12, 1), 6, date.max, id="past-the-calendar"),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


# --- Properties ---------------------------------------------------------------------------------
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
RATES = st.none() | st.decimals(min_value=0, max_value=10_000, places=2)


def subsets(values: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(values))


PLANS = st.builds(
    PlanTerms,
    code=st.sampled_from(["a", "b", "c"]),
    kind=st.sampled_from(PLAN_KINDS),
    channels=subsets(CHANNELS),
    billable_channels=subsets(CHANNELS),
    covered_types=subsets(TICKET_TYPES),
    excluded_scopes=subsets(SCOPES),
    billable_scopes=subsets(SCOPES),
    languages=subsets(("cs", "sk", "en")),
    require_supported_version=st.booleans(),
    require_identification=st.booleans(),
    require_version_stated=st.booleans(),
    serves_end_users=st.booleans(),
    billing_mode=st.sampled_from(BILLING_MODES),
    hourly_rate=RATES,
)
CONTRACTS = st.lists(
    st.builds(
        ContractFacts,
        id=st.none() | st.integers(1, 99),
        plan=PLANS,
        valid_from=DAYS,
        valid_to=st.none() | DAYS,
    ),
    max_size=3,
)
REQUESTS = st.builds(
    RequestFacts,
    on=DAYS,
    channel=st.sampled_from(CHANNELS),
    ticket_type=st.sampled_from(TICKET_TYPES),
    scope=st.none() | st.sampled_from(SCOPES),
    language=st.sampled_from(["cs", "sk", "en", "de", "cs-CZ"]),
    requester=st.sampled_from(REQUESTERS),
    identified=st.booleans(),
    version_stated=st.booleans(),
    version_supported_until=st.none() | DAYS,
    prepaid_minutes_left=st.none() | st.integers(-60, 600),
)
LICENCES = st.none() | st.builds(
    LicenceFacts,
    number=st.just("L"),
    activation_date=st.none() | DAYS,
    max_version_date=st.none() | DAYS,
)
OPTIONS = st.fixed_dictionaries(
    {
        "price_list_rate": RATES,
        "start_plan": st.none() | PLANS,
        "warranty_plan": st.none() | PLANS,
        "licence": LICENCES,
        "public_plan": st.none() | PLANS,
    }
)


@given(REQUESTS, CONTRACTS, OPTIONS)
def test_evaluate_always_answers_sensibly(
    req: RequestFacts, contracts: list[ContractFacts], options: dict[str, Any]
) -> None:
    result = evaluate(req, contracts, **options)
    assert result.status in (COVERED, BILLABLE, REJECTED)
    assert result.reason in REASONS
    assert result.message == REASONS[result.reason]
    assert all(isinstance(value, str) for value in result.params.values())
    result.message.format(**result.params)
    if result.status is COVERED:
        assert result.plan is not None and result.source == "contract"
        assert result.contract_id is None or result.contract_id in {c.id for c in contracts}
    elif result.status is BILLABLE:
        assert result.plan is not None and result.source in SOURCES
    else:
        assert (result.source, result.rate) == (None, None)


@given(REQUESTS, CONTRACTS, PLANS, DAYS, OPTIONS)
def test_another_contract_never_makes_the_answer_worse(
    req: RequestFacts,
    contracts: list[ContractFacts],
    plan: PlanTerms,
    start: date,
    options: dict[str, Any],
) -> None:
    rank = {COVERED: 0, BILLABLE: 1, REJECTED: 2}
    before = evaluate(req, contracts, **options)
    after = evaluate(req, [*contracts, ContractFacts(99, plan, start, None)], **options)
    assert rank[after.status] <= rank[before.status]


@given(LICENCES.filter(lambda licence: licence is not None), PLANS, DAYS)
def test_start_covers_its_own_range(licence: LicenceFacts, plan: PlanTerms, today: date) -> None:
    start = start_contract(licence, plan)
    if start is not None:
        assert start.valid_to == start_end(licence)
        assert start.valid_on(start.valid_from) and start.valid_to is not None
        assert start.valid_on(start.valid_to)
        assert not start.valid_on(start.valid_to + timedelta(days=1))
    if start_ending(licence, today):
        assert start is not None or licence.max_version_date is not None
