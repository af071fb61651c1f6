"""The history renderer: every event kind reads as a sentence in cs, sk and en, without codes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.utils import translation

from podpora.tickets import history
from tests.test_i18n import compiled_catalogues  # noqa: F401  (the .mo files compiled)

pytestmark = pytest.mark.usefixtures("compiled_catalogues")

WHO = "Jana Nováková"

# kind, data, {lang: expected sentence}
CASES = [
    (
        "created",
        {"subject": "x"},
        {
            "cs": "Jana Nováková založil(a) požadavek.",
            "sk": "Jana Nováková založil(a) požiadavku.",
            "en": "Jana Nováková opened the request.",
        },
    ),
    (
        "message_added",
        {"article": 1},
        {
            "cs": "Jana Nováková přidal(a) zprávu.",
            "sk": "Jana Nováková pridal(a) správu.",
            "en": "Jana Nováková added a message.",
        },
    ),
    (
        "note_added",
        {"article": 1},
        {
            "cs": "Jana Nováková přidal(a) interní poznámku.",
            "sk": "Jana Nováková pridal(a) internú poznámku.",
            "en": "Jana Nováková added an internal note.",
        },
    ),
    (
        "state_changed",
        {"old": "new", "new": "open"},
        {
            "cs": "Jana Nováková změnil(a) stav z „nový“ na „v řešení“.",
            "sk": "Jana Nováková zmenil(a) stav z „nová“ na „v riešení“.",
            "en": "Jana Nováková changed the state from “new” to “in progress”.",
        },
    ),
    (
        "priority_changed",
        {"old": 3, "new": 1, "impact": 1, "urgency": 1},
        {
            "cs": "Priorita změněna z „střední“ na „kritická“ (dopad vysoký, naléhavost vysoká).",
            "sk": "Priorita zmenená z „stredná“ na „kritická“ (dopad vysoký, naliehavosť vysoká).",
            "en": "Priority changed from “medium” to “critical” (impact high, urgency high).",
        },
    ),
    (
        "assigned",
        {"old": None, "new": "hrplus-agent", "new_label": "Petr Malý", "team": "L1"},
        {
            "cs": "Jana Nováková přidělil(a) požadavek: Petr Malý (tým L1).",
            "sk": "Jana Nováková pridelil(a) požiadavku: Petr Malý (tím L1).",
            "en": "Jana Nováková assigned the request to Petr Malý (team L1).",
        },
    ),
    (
        "assigned",
        {"old": "x", "new": None, "team": None},
        {
            "cs": "Jana Nováková zrušil(a) přidělení řešiteli.",
            "sk": "Jana Nováková zrušil(a) pridelenie riešiteľovi.",
            "en": "Jana Nováková unassigned the request.",
        },
    ),
    (
        "escalated",
        {"old": 1, "new": 2, "reason": "SLA"},
        {
            "cs": "Předáno z úrovně řešení 1 na úroveň 2: termín SLA byl překročen.",
            "sk": "Odovzdané z úrovne riešenia 1 na úroveň 2: termín SLA bol prekročený.",
            "en": "Handed from solver level 1 to level 2: the SLA deadline was missed.",
        },
    ),
    (
        "linked",
        {"link": "duplicate", "other": "HR-2026-0007"},
        {
            "cs": "Označeno jako duplicita požadavku HR-2026-0007.",
            "sk": "Označené ako duplicita požiadavky HR-2026-0007.",
            "en": "Marked as a duplicate of request HR-2026-0007.",
        },
    ),
    (
        "merged",
        {"into": "HR-2026-0007"},
        {
            "cs": "Sloučeno do požadavku HR-2026-0007.",
            "sk": "Zlúčené do požiadavky HR-2026-0007.",
            "en": "Merged into request HR-2026-0007.",
        },
    ),
    (
        "fixed_in_release",
        {"release": "Mzdy 5.2.1"},
        {
            "cs": "Opraveno ve vydání Mzdy 5.2.1.",
            "sk": "Opravené vo vydaní Mzdy 5.2.1.",
            "en": "Fixed in release Mzdy 5.2.1.",
        },
    ),
    (
        "entitlement",
        {"status": "rejected", "reason": "contract_expired", "params": {"valid_to": "2026-01-31"}},
        {
            "cs": "Nárok: mimo podporu – Smlouva o podpoře skončila 31. 1. 2026.",
            "sk": "Nárok: mimo podpory – Zmluva o podpore skončila 31. 1. 2026.",
            "en": "Entitlement: not covered – The support contract ended on 31 Jan 2026.",
        },
    ),
    (
        "entitlement",
        {"status": "billable", "reason": "override", "overridden": True, "note": "dohodnuto"},
        {
            "cs": "Jana Nováková změnil(a) nárok na „placené“: dohodnuto",
            "sk": "Jana Nováková zmenil(a) nárok na „platené“: dohodnuto",
            "en": "Jana Nováková changed the entitlement to “billable”: dohodnuto",
        },
    ),
    (
        "sla_targets",
        {
            "policy": "Standard",
            "first_response": "90m",
            "resolution": "2wd",
            "first_response_due": "2026-12-03T09:14:00.123456+00:00",
            "resolution_due": "2026-12-07T15:00:00+00:00",
        },
        {
            "cs": "SLA Standard: první reakce 90 minut pracovní doby (do 3. 12. 2026 10:14), "
            "vyřešení 2 pracovní dny (do 7. 12. 2026 16:00).",
            "sk": "SLA Standard: prvá reakcia 90 minút pracovného času (do 3. 12. 2026 10:14), "
            "vyriešenie 2 pracovné dni (do 7. 12. 2026 16:00).",
            "en": "SLA Standard: first response 90 business minutes (by 3 Dec 2026, 10:14), "
            "resolution 2 working days (by 7 Dec 2026, 16:00).",
        },
    ),
    (
        "sla_paused",
        {},
        {
            "cs": "SLA pozastaveno: čeká se na zákazníka.",
            "sk": "SLA pozastavené: čaká sa na zákazníka.",
            "en": "SLA paused: waiting for the customer.",
        },
    ),
    (
        "sla_resumed",
        {"paused_seconds": 4800},
        {
            "cs": "SLA znovu běží (pozastaveno 1 h 20 min).",
            "sk": "SLA znova beží (pozastavené 1 h 20 min).",
            "en": "SLA running again (paused for 1 h 20 min).",
        },
    ),
    (
        "sla_warned",
        {"clock": "resolution", "due": "2026-12-03T09:14:00+00:00"},
        {
            "cs": "Blíží se termín SLA (vyřešení do 3. 12. 2026 10:14): upozorněn řešitel a vedoucí týmu.",
            "sk": "Blíži sa termín SLA (vyriešenie do 3. 12. 2026 10:14): upozornený riešiteľ a vedúci tímu.",
            "en": "An SLA deadline is near (resolution by 3 Dec 2026, 10:14): the solver and the team "
            "lead were warned.",
        },
    ),
    (
        "sla_breached",
        {"clock": "first_response"},
        {
            "cs": "Termín SLA překročen: první reakce.",
            "sk": "Termín SLA prekročený: prvá reakcia.",
            "en": "SLA deadline missed: first response.",
        },
    ),
    (
        "cause_set",
        {"old": "", "new": "operation"},
        {
            "cs": "Příčina: chyba obsluhy.",
            "sk": "Príčina: chyba obsluhy.",
            "en": "Cause: user error.",
        },
    ),
    (
        "split_from",
        {"other": "HD-2026-0007"},
        {
            "cs": "Odděleno ze zprávy v požadavku HD-2026-0007.",
            "sk": "Oddelené zo správy v požiadavke HD-2026-0007.",
            "en": "Split off from a message in request HD-2026-0007.",
        },
    ),
    (
        "quote_sent",
        {
            "quote": "N-2026-0003",
            "hours": "12.50",
            "amount": "15000.00",
            "delivery_on": "2026-12-18",
        },
        {
            "cs": "Jana Nováková poslal(a) nabídku č. N-2026-0003: 12,50 h za 15\xa0000,00\xa0Kč bez DPH, dodání do 18. 12. 2026.",
            "sk": "Jana Nováková poslal(a) ponuku č. N-2026-0003: 12,50 h za 15\xa0000,00\xa0Kč bez DPH, dodanie do 18. 12. 2026.",
            "en": "Jana Nováková sent quote no. N-2026-0003: 12.50 h for CZK 15,000.00 excl. VAT, delivery by 18 Dec 2026.",
        },
    ),
    (
        "quote_delivered",
        {"quote": "N-2026-0003", "amount": "15000.00"},
        {
            "cs": "Jana Nováková dodal(a) změnu podle nabídky č. N-2026-0003 (fakturuje se 15\xa0000,00\xa0Kč).",
            "sk": "Jana Nováková dodal(a) zmenu podľa ponuky č. N-2026-0003 (fakturuje sa 15\xa0000,00\xa0Kč).",
            "en": "Jana Nováková delivered the change of quote no. N-2026-0003 (CZK 15,000.00 invoiced).",
        },
    ),
    (
        "root_cause_set",
        {},
        {
            "cs": "Jana Nováková zapsal(a) příčinu problému.",
            "sk": "Jana Nováková zapísal(a) príčinu problému.",
            "en": "Jana Nováková recorded the problem's root cause.",
        },
    ),
    (
        "problem_resolved",
        {"problem": "HD-2026-0009", "resolved": True},
        {
            "cs": "Vyřešeno spolu s problémem HD-2026-0009.",
            "sk": "Vyriešené spolu s problémom HD-2026-0009.",
            "en": "Resolved together with problem HD-2026-0009.",
        },
    ),
    (
        "problem_resolved",
        {"problem": "HD-2026-0009"},
        {
            "cs": "Problém HD-2026-0009, který požadavek způsobil, je vyřešen.",
            "sk": "Problém HD-2026-0009, ktorý požiadavku spôsobil, je vyriešený.",
            "en": "Problem HD-2026-0009, which caused the request, is resolved.",
        },
    ),
    (
        "incidents_told",
        {"incidents": ["HD-2026-0010", "HD-2026-0011"]},
        {
            "cs": "Zákazníkům incidentů oznámeno vyřešení: HD-2026-0010, HD-2026-0011.",
            "sk": "Zákazníkom incidentov oznámené vyriešenie: HD-2026-0010, HD-2026-0011.",
            "en": "The incidents' customers told of the resolution: HD-2026-0010, HD-2026-0011.",
        },
    ),
    (
        "data_requested",
        {},
        {
            "cs": "Jana Nováková požádal(a) o data k analýze; lhůta řešení poběží od jejich doručení.",
            "sk": "Jana Nováková požiadal(a) o dáta na analýzu; lehota riešenia pobeží od ich doručenia.",
            "en": "Jana Nováková asked for data to analyse; the resolution time runs from their arrival.",
        },
    ),
    (
        "data_received",
        {},
        {
            "cs": "Data k analýze byla doručena; od této chvíle běží lhůta řešení.",
            "sk": "Dáta na analýzu boli doručené; od tejto chvíle beží lehota riešenia.",
            "en": "The data to analyse arrived; the resolution time runs from now.",
        },
    ),
    (
        "bug_confirmed",
        {"note": ""},
        {
            "cs": "Jana Nováková ověřil(a) chybu testem.",
            "sk": "Jana Nováková overil(a) chybu testom.",
            "en": "Jana Nováková confirmed the fault by a test.",
        },
    ),
    (
        "time_logged",
        {
            "minutes": 90,
            "mode": "billable",
            "work_channel": "phone",
            "package": None,
            "rate": "1500.00",
        },
        {
            "cs": "Jana Nováková vykázal(a) 1 h 30 min k fakturaci (telefonát), sazba 1\xa0500,00\xa0Kč/h.",
            "sk": "Jana Nováková vykázal(a) 1 h 30 min na fakturáciu (telefonát), sadzba 1\xa0500,00\xa0Kč/h.",
            "en": "Jana Nováková logged 1 h 30 min to be invoiced (call), rate CZK 1,500.00/h.",
        },
    ),
    (
        "prepaid_low",
        {"package": "Balík 10 h", "minutes_left": 45},
        {
            "cs": "Předplacený balík Balík 10 h dochází: zbývá 45 minut.",
            "sk": "Predplatený balík Balík 10 h sa míňa: zostáva 45 minút.",
            "en": "Prepaid package Balík 10 h is running low: 45 minutes left.",
        },
    ),
    (
        "prepaid_exhausted",
        {"package": "Balík 10 h"},
        {
            "cs": "Předplacený balík Balík 10 h je vyčerpán.",
            "sk": "Predplatený balík Balík 10 h je vyčerpaný.",
            "en": "Prepaid package Balík 10 h is used up.",
        },
    ),
    (
        "free_calls_exhausted",
        {"free_minutes": 120, "period": "month", "paid_minutes": 15},
        {
            "cs": "Bezplatné telefonické konzultace (2 hodiny za měsíc) jsou vyčerpány; placeno 15 minut.",
            "sk": "Bezplatné telefonické konzultácie (2 hodiny za mesiac) sú vyčerpané; platí sa 15 minút.",
            "en": "Free phone consultations (2 hours a month) are used up; 15 minutes paid.",
        },
    ),
    (
        "field_changed",
        {"field": "cc", "old": [], "new": ["a@example.cz", "b@example.cz"]},
        {
            "cs": "Jana Nováková změnil(a) adresy v kopii na: a@example.cz, b@example.cz.",
            "sk": "Jana Nováková zmenil(a) adresy v kópii na: a@example.cz, b@example.cz.",
            "en": "Jana Nováková changed the copied addresses to: a@example.cz, b@example.cz.",
        },
    ),
    (
        "field_changed",
        {"field": "version", "old": None, "new": "10.0"},
        {
            "cs": "Jana Nováková změnil(a) verzi z „nic“ na „10.0“.",
            "sk": "Jana Nováková zmenil(a) verziu z „nič“ na „10.0“.",
            "en": "Jana Nováková changed the version from “nothing” to “10.0”.",
        },
    ),
    (
        "some_future_kind",
        {"x": 1},
        {
            "cs": "Jiná změna požadavku.",
            "sk": "Iná zmena požiadavky.",
            "en": "Another change to the request.",
        },
    ),
]

ROWS = [(kind, data, lang, text) for kind, data, texts in CASES for lang, text in texts.items()]


@pytest.mark.parametrize("kind, data, lang, expected", ROWS)
def test_event_reads_as_a_sentence(kind, data, lang, expected):
    with translation.override(lang):
        assert history.render(kind, data, actor=WHO) == expected


#: codes that must never show; English words like "new" are codes only in Czech and Slovak text
CODES = re.compile(r"\w+_\w+|\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d|→")
CODE_WORDS = re.compile(r"\b(new|open|covered|rejected|billable|resolution|normal)\b")


@pytest.mark.parametrize("kind, data, lang, expected", ROWS)
def test_no_internal_codes(kind, data, lang, expected):
    with translation.override(lang):
        text = history.render(kind, data, actor=WHO)
    assert not CODES.search(text)
    if lang != "en":
        assert not CODE_WORDS.search(text)


def _kinds_written_by_the_code() -> set[str]:
    """Every kind the source writes: ``events._write(ticket, "kind", …)`` and the kinds the
    helpers in tickets/events.py and billing/services.py build from a prefix."""
    import ast
    from pathlib import Path

    import podpora

    kinds: set[str] = set()
    for path in Path(podpora.__file__).parent.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            if getattr(node.func, "attr", getattr(node.func, "id", "")) != "_write":
                continue
            kind = node.args[1]
            if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
                kinds.add(kind.value)
            elif isinstance(kind, ast.JoinedStr):  # f"sla_{kind}": every renderer of the prefix
                prefix = kind.values[0].value
                kinds |= {k for k in history._RENDERERS if k.startswith(prefix)}
    return kinds - {"my_kind"}  # the example in history.py's docstring


def test_every_written_kind_has_a_renderer():
    written = _kinds_written_by_the_code()
    assert {"created", "data_requested", "quote_sent", "time_logged"} <= written
    assert written <= set(history._RENDERERS), written - set(history._RENDERERS)
    assert written <= {kind for kind, _data, _texts in CASES}, "add a row to CASES"


def test_system_actor_and_broken_rows():
    with translation.override("cs"):
        assert history.render("created", {}) == "Systém založil(a) požadavek."
        assert history.render("time_logged", {}) == "Jiná změna požadavku."


def test_customer_never_sees_internal_kinds():
    for kind in (
        "note_added",
        "assigned",
        "escalated",
        "linked",
        "entitlement",
        "sla_targets",
        "sla_breached",
        "time_logged",
        "prepaid_low",
        "free_calls_exhausted",
    ):
        assert not history.visible_to_customer(kind, True), kind
    for kind in ("created", "message_added", "state_changed", "merged", "fixed_in_release"):
        assert history.visible_to_customer(kind, True), kind
    assert not history.visible_to_customer("state_changed", False)


def test_customer_reads_no_test_note():
    with translation.override("cs"):
        assert "interní" not in history.render(
            "bug_confirmed", {"note": "interní"}, actor=WHO, staff=False
        )


@pytest.mark.parametrize(
    "lang, instant, expected",
    [
        ("cs", datetime(2026, 12, 3, 9, 14, 5, 123456, tzinfo=UTC), "3. 12. 2026 10:14"),
        ("sk", datetime(2026, 7, 1, 6, 0, tzinfo=UTC), "1. 7. 2026 08:00"),
        ("en", datetime(2026, 12, 3, 9, 14, tzinfo=UTC), "3 Dec 2026, 10:14"),
        ("cs", "2026-12-03T09:14:00.123456+00:00", "3. 12. 2026 10:14"),
        ("cs", "2026-01-31", "31. 1. 2026"),
        ("cs", None, "–"),
        ("cs", "nonsense", "nonsense"),
    ],
)
def test_when(lang, instant, expected):
    with translation.override(lang):
        assert history.when(instant) == expected


@pytest.mark.parametrize(
    "lang, amount, expected",
    [
        ("cs", "1500", "1\xa0500,00\xa0Kč"),
        ("sk", 12.5, "12,50\xa0Kč"),
        ("en", "1500", "CZK 1,500.00"),
    ],
)
def test_money(lang, amount, expected):
    with translation.override(lang):
        assert history.money(amount) == expected


@pytest.mark.parametrize(
    "lang, code, params, expected",
    [
        (
            "cs",
            "channel_not_in_plan",
            {"channel": "phone", "plan": "Standard"},
            "Kanál telefon není součástí smlouvy „Standard“.",
        ),
        (
            "sk",
            "out_of_scope",
            {"scope": "training", "plan": "Standard"},
            "Požiadavky druhu „školenie“ nie sú súčasťou zmluvy „Standard“.",
        ),
        (
            "en",
            "language",
            {"plan": "Standard", "languages": "cs"},
            "Support under Standard is given only in: Czech.",
        ),
        (
            "cs",
            "covered",
            {"plan": "Smlouva o podpoře"},
            "Hrazeno v rámci smlouvy „Smlouva o podpoře“.",
        ),
        # an old row without parameters keeps the text stored then; a free text stays as it is
        ("sk", "covered", {}, "Hrazeno v rámci Standard."),
        ("cs", "dohodnuto s obchodem", None, "dohodnuto s obchodem"),
        ("cs", "channel_not_in_plan", {}, ""),  # an old event: no half sentence
    ],
)
def test_reason_in_the_readers_language(lang, code, params, expected):
    with translation.override(lang):
        fallback = "Hrazeno v rámci Standard." if code == "covered" and not params else ""
        assert history.reason_text(code, params, fallback) == expected


def test_an_old_entitlement_event_without_parameters_still_reads():
    with translation.override("cs"):
        text = history.render(
            "entitlement", {"status": "rejected", "reason": "channel_not_in_plan"}
        )
    assert text == "Nárok: mimo podporu."
