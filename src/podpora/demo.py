"""Demo data: the five vendors of the seed pages, set up as their pages describe them.

Idempotent: rows are found by their natural keys; demo tickets are created only once per vendor.
Every account's password is `demo` (the superuser `admin` has `admin`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from podpora.accounts.models import Team, User
from podpora.catalog.models import Product, Release, ReleaseFile, Service, Version
from podpora.core import storage
from podpora.customers.models import (
    Contact,
    Contract,
    Licence,
    Organization,
    Plan,
    PrepaidPackage,
    Vendor,
)
from podpora.demo_rules import load_channels, load_scope_items
from podpora.sla.models import BusinessCalendar, SlaPolicy, SlaTarget

PRAGUE = ZoneInfo("Europe/Prague")
PASSWORD = "demo"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
OUT_OF_SCOPE_HRPLUS = ["third_party", "training", "operations"]
OUT_OF_SCOPE_INTOUCH = ["installation", "programming", "consulting", "analysis"]


def make_ico(seed: int) -> str:
    """A valid IČO built from a 7-digit seed (mod-11 check digit)."""
    digits = f"{seed:07d}"
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    return digits + str((11 - total % 11) % 10)


def week(hours: dict[str, list[list[str]]]) -> dict[str, list[list[str]]]:
    return {day: hours.get(day, []) for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def workdays(start: str, end: str) -> dict[str, list[list[str]]]:
    return week({d: [[start, end]] for d in WEEKDAYS})


@dataclass
class Account:
    username: str
    first_name: str
    last_name: str
    role: str
    level: int = 1


@dataclass
class Customer:
    name: str
    ico_seed: int
    stage: str
    plan: str | None
    contacts: list[tuple[str, str, str, str]]  # username, first, last, role
    #: number, activated days ago, max version date in days (None: every version)
    licence: tuple[str, int, int | None] | None = None
    package_minutes: int = 0
    language: str = "cs"
    #: HR Plus: the functions being implemented (the phone serves these during implementation)
    functions: list[str] = field(default_factory=list)


@dataclass
class VendorSetup:
    slug: str
    name: str
    prefix: str
    email: str
    phone: str
    languages: list[str]
    calendar: dict
    product: tuple[str, str]
    versions: list[tuple[str, int, int | None]]  # name, released days ago, supported for days
    #: name -> (priority, first response, resolution[, ticket type])
    policies: dict[str, list[tuple]]
    plans: list[dict]
    services: list[tuple[str, str, str, int, list[str]]] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    price_list_rate: int | None = None
    start_plan: str | None = None
    warranty_plan: str | None = None
    public_plan: str | None = None
    tickets: list[tuple] = field(default_factory=list)
    #: ESTELAR: "a fault caused by wrong configuration is not an emergency"
    configuration_not_emergency: bool = False
    #: a users' forum (InTouch's "InTouch fórum")
    forum: bool = False
    #: certified specialists: (name, company, region, e-mail, certificate valid for days)
    specialists: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    #: knowledge base: (kind, language, audience, slug, title, Markdown body)
    articles: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)


def _plan(code, name, kind, **terms) -> dict:
    return {"code": code, "name": name, "kind": kind, **terms}


VENDORS: list[VendorSetup] = [
    VendorSetup(
        slug="hrplus",
        name="HR Plus",
        prefix="HRP",
        email="podpora@hrplus.example",
        phone="+420 602 570 507",
        languages=["cs"],
        calendar={
            "timezone": "Europe/Prague",
            "week": workdays("08:00", "16:30"),
            "holidays": {"countries": ["CZ"], "dates": []},
        },
        product=("hrplus", "HR Plus (personalistika a mzdy)"),
        versions=[("2024.1", 900, 600), ("2025.2", 400, None), ("2026.1", 60, None)],
        policies={
            "SLA Standard": [
                (1, "2h", "2wd"),
                (2, "4h", "3wd"),
                (3, "1wd", "10wd"),
                (4, "2wd", "20wd"),
                (5, "3wd", ""),
            ],
            "SLA Premium": [
                (1, "30m", "8h"),
                (2, "1h", "2wd"),
                (3, "4h", "5wd"),
                (4, "1wd", "10wd"),
                (5, "2wd", ""),
            ],
        },
        plans=[
            _plan(
                "implementace",
                "Zákazník v implementaci",
                "implementation",
                channels=["portal", "phone", "email", "api"],
                excluded_scopes=OUT_OF_SCOPE_HRPLUS,
                languages=["cs"],
                sla="SLA Standard",
            ),
            _plan(
                "udrzba-standard",
                "Smlouva o údržbě a podpoře – Standard",
                "maintenance",
                channels=["portal", "phone", "email", "api"],
                excluded_scopes=OUT_OF_SCOPE_HRPLUS,
                languages=["cs"],
                billing_mode="prepaid_then_price_list",
                sla="SLA Standard",
                free_call_minutes=60,  # free phone consultations a month (SLA level)
            ),
            _plan(
                "udrzba-premium",
                "Smlouva o údržbě a podpoře – Premium",
                "maintenance",
                channels=["portal", "phone", "email", "api"],
                excluded_scopes=OUT_OF_SCOPE_HRPLUS,
                languages=["cs"],
                billing_mode="prepaid_then_price_list",
                sla="SLA Premium",
                free_call_minutes=180,  # free phone consultations a month (SLA level)
            ),
            _plan(
                "jednorazova",
                "Jednorázová objednávka",
                "one_time",
                channels=["webform"],
                billable_channels=["phone"],
                excluded_scopes=OUT_OF_SCOPE_HRPLUS,
                languages=["cs"],
                billing_mode="prepaid_then_price_list",
            ),
            _plan(
                "potencialni",
                "Potenciální zákazník",
                "prospect",
                channels=["webform"],
                covered_types=["question"],
                languages=["cs"],
            ),
        ],
        services=[("konzultace", "Telefonická konzultace nad rámec SLA", "hour", 1500, [])],
        price_list_rate=1500,
        public_plan="potencialni",
        customers=[
            Customer(
                "Strojírny Morava a.s.",
                2559664,
                "customer",
                "udrzba-premium",
                [
                    ("hrplus-novak", "Jan", "Novák", "customer_admin"),
                    ("hrplus-dvorakova", "Eva", "Dvořáková", "authorised"),
                    ("hrplus-uzivatel", "Petr", "Malý", "end_user"),
                ],
            ),
            Customer(
                "Nemocnice Vysočina, p. o.",
                4521137,
                "implementation",
                "implementace",
                [("hrplus-svoboda", "Tomáš", "Svoboda", "authorised")],
                functions=["Docházka", "Mzdy"],
            ),
            Customer(
                "Pekárna Horák s.r.o.",
                2871542,
                "customer",
                "jednorazova",
                [("hrplus-horak", "Martin", "Horák", "authorised")],
                package_minutes=600,
            ),
            Customer("Logistika Brno s.r.o.", 2934417, "prospect", "potencialni", []),
        ],
        articles=[
            (
                "faq",
                "cs",
                "public",
                "jak-zadat-pozadavek",
                "Jak zadat požadavek do Centra podpory",
                "Požadavky přijímáme jen v **Centru podpory** od oprávněných osob zákazníků "
                "s platnou smlouvou o údržbě a technické podpoře.\n\n"
                "1. Přihlaste se do portálu.\n2. Zvolte *Nový požadavek*.\n"
                "3. Popište problém a uveďte verzi programu.\n\n"
                "Telefonická hotline slouží jako náhradní registrace, když online podpora "
                "nefunguje.",
            ),
            (
                "guide",
                "cs",
                "customers",
                "rocni-zuctovani",
                "Roční zúčtování daně: postup uzávěrky",
                "Před uzávěrkou roku:\n\n* zálohujte databázi,\n"
                "* zkontrolujte mzdové složky za prosinec,\n* spusťte *Roční zúčtování*.",
            ),
            (
                "guide",
                "cs",
                "internal",
                "pad-vypoctu-mezd",
                "Interní: pád výpočtu mezd při uzávěrce",
                "Nejčastější příčina je chybějící kurz měny. Ověřte číselník kurzů.",
            ),
        ],
        tickets=[
            ("hrplus-novak", "Výpočet mezd padá při uzávěrce", "incident", 1, 1, "open", 3),
            (
                "hrplus-dvorakova",
                "Jak nastavit nový typ dovolené?",
                "question",
                3,
                2,
                "resolved",
                8,
            ),
            ("hrplus-svoboda", "Import zaměstnanců z Excelu", "implementation", 2, 2, "new", 0),
        ],
    ),
    VendorSetup(
        slug="cloudempiere",
        name="cloudempiere",
        prefix="CE",
        email="podpora@cloudempiere.example",
        phone="+421 2 000 000",
        languages=["sk", "en", "cs"],
        calendar={
            "timezone": "Europe/Bratislava",
            "week": week(
                {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
            ),
            "holidays": {"countries": [], "dates": []},
        },
        product=("cloudempiere", "cloudempiere ERP"),
        versions=[("11.0", 500, None), ("12.0", 120, None)],
        policies={
            "Basic 24/7": [
                (1, "4h", "2d"),
                (2, "8h", "5d"),
                (3, "1d", "14d"),
                (4, "2d", "30d"),
                (5, "5d", ""),
            ],
            "Strategic 24/7": [
                (1, "30m", "8h"),
                (2, "2h", "1d"),
                (3, "8h", "5d"),
                (4, "1d", "14d"),
                (5, "2d", ""),
            ],
        },
        plans=[
            _plan(
                "basic",
                "Základná úroveň",
                "basic",
                channels=["portal", "phone", "email", "api"],
                excluded_scopes=["operations"],
                require_supported_version=False,
                sla="Basic 24/7",
            ),
            _plan(
                "strategic",
                "Strategická úroveň (SLA zmluva)",
                "maintenance",
                channels=["portal", "phone", "email", "api", "remote"],
                excluded_scopes=["operations"],
                require_supported_version=False,
                sla="Strategic 24/7",
            ),
        ],
        customers=[
            Customer(
                "Tatra Obchod s.r.o.",
                3561278,
                "customer",
                "strategic",
                [("ce-kovac", "Marek", "Kováč", "customer_admin")],
                language="sk",
            ),
            Customer(
                "Zvolen Drevo a.s.",
                3612893,
                "customer",
                "basic",
                [("ce-horvathova", "Zuzana", "Horváthová", "authorised")],
                language="sk",
            ),
        ],
        articles=[
            (
                "doc",
                "sk",
                "public",
                "instalacia-klienta",
                "Inštalácia klienta",
                "Klienta nainštalujete z portálu. Dokumentáciu aktualizujeme s každým vydaním.",
            ),
            (
                "doc",
                "en",
                "public",
                "client-installation",
                "Client installation",
                "Install the client from the portal. The documentation is updated with every "
                "release.",
            ),
            (
                "faq",
                "sk",
                "customers",
                "ako-nahlasit-incident",
                "Ako nahlásiť incident",
                "Incident nahláste v portáli; prioritu určuje dopad na organizáciu a naliehavosť.",
            ),
        ],
        tickets=[
            ("ce-kovac", "Faktúry sa negenerujú po aktualizácii", "incident", 1, 2, "open", 1),
            (
                "ce-horvathova",
                "Požiadavka na zmenu tlačovej zostavy",
                "change",
                3,
                3,
                "waiting_customer",
                4,
            ),
        ],
    ),
    VendorSetup(
        slug="estelar",
        name="ESTELAR",
        configuration_not_emergency=True,
        prefix="EST",
        email="podpora@estelar.example",
        phone="+420 573 395 466",
        languages=["cs"],
        calendar={
            "timezone": "Europe/Prague",
            "week": workdays("08:00", "17:00"),
            "holidays": {"countries": ["CZ"], "dates": []},
        },
        product=("acs-line", "ACS-line"),
        versions=[("5.8", 700, None), ("6.0", 90, None)],
        policies={
            "HOTLINE": [
                (1, "2h", "1wd"),
                (2, "4h", "3wd"),
                (3, "1wd", "3wd"),
                (4, "1wd", "3wd"),
                (5, "3wd", ""),
            ]
        },
        plans=[
            _plan(
                "start",
                "HOTLINE START",
                "start",
                channels=["portal", "phone", "email"],
                excluded_scopes=["training", "global_configuration", "data_export"],
                duration_months=6,
                sla="HOTLINE",
            ),
            _plan(
                "hotline",
                "HOTLINE",
                "maintenance",
                channels=["portal", "phone", "email"],
                excluded_scopes=["training"],
                sla="HOTLINE",
            ),
            _plan(
                "hotline-plus",
                "HOTLINE+",
                "maintenance",
                channels=["portal", "phone", "email", "remote"],
                sla="HOTLINE",
            ),
            _plan(
                "hotline-special",
                "HOTLINE speciál",
                "maintenance",
                channels=["portal", "phone", "email", "remote"],
                sla="HOTLINE",
            ),
            _plan(
                "zarucni",
                "Záruční servis",
                "warranty",
                channels=["portal", "phone", "email"],
                covered_types=["bug"],
                billing_mode="price_list",
            ),
        ],
        price_list_rate=900,
        start_plan="start",
        warranty_plan="zarucni",
        services=[
            ("servisni-zasah", "Hrazený servisní zásah", "hour", 900, []),
            # the paid support offered on the proforma when HOTLINE START ends (per year)
            ("hotline", "HOTLINE", "year", 9600, []),
            ("hotline-plus", "HOTLINE+", "year", 14400, []),
            ("hotline-special", "HOTLINE speciál", "year", 21600, []),
        ],
        customers=[
            Customer(
                "Obec Rusava",
                2877312,
                "customer",
                None,
                [("estelar-kratochvil", "Josef", "Kratochvíl", "authorised")],
                licence=("ACS-2026-0147", 40, 140),
            ),
            Customer(
                "Zámečnictví Zlín s.r.o.",
                2640532,
                "customer",
                None,
                [("estelar-bartos", "Pavel", "Bartoš", "authorised")],
                licence=("ACS-2025-0031", 400, -220),
            ),
            Customer(
                "Mlékárna Holešov a.s.",
                2597451,
                "customer",
                "hotline",
                [("estelar-vesela", "Ivana", "Veselá", "authorised")],
                licence=("ACS-2024-0008", 800, -620),
            ),
            Customer(
                "Truhlářství Bystřice s.r.o.",
                2719541,
                "customer",
                None,
                [],
                licence=("ACS-2026-0200", 5, 175),
            ),
        ],
        articles=[
            (
                "guide",
                "cs",
                "customers",
                "zalohovani-databaze",
                "Zálohování databáze ACS-line",
                "Databázi zálohujte před každou aktualizací:\n\n"
                "1. Ukončete docházkový server.\n2. Zkopírujte složku `data`.\n"
                "3. Server znovu spusťte.",
            ),
            (
                "faq",
                "cs",
                "public",
                "kde-najdu-licencni-cislo",
                "Kde najdu licenční číslo?",
                "Licenční číslo je na plastové licenční kartičce, spolu s kódem pro první "
                "registraci do portálu.",
            ),
            (
                "news",
                "cs",
                "customers",
                "vysla-verze-6-0",
                "Vyšla verze 6.0",
                "Nová verze přináší legislativní změny pro rok 2027. Stáhnete ji v sekci "
                "*Ke stažení*.",
            ),
        ],
        tickets=[
            ("estelar-kratochvil", "Nastavení docházkového terminálu", "question", 2, 2, "open", 1),
            ("estelar-bartos", "Export pro mzdový systém nefunguje", "bug", 2, 2, "new", 0),
        ],
    ),
    VendorSetup(
        slug="intouch",
        name="InTouch CRM",
        forum=True,
        prefix="ITC",
        email="support@intouch-crm.example",
        phone="478 571 021",
        languages=["cs"],
        calendar={
            "timezone": "Europe/Prague",
            "week": workdays("08:00", "16:00"),
            "holidays": {"countries": ["CZ"], "dates": []},
        },
        product=("intouch-enterprise", "InTouch CRM Enterprise"),
        versions=[("9.4", 500, None), ("9.5", 200, None), ("10.0", 30, None)],
        # serious: active work the same or the next working day; less serious: within a week;
        # cosmetic: fixed in the next official update; ordinary questions: answered by the
        # next working day whatever their priority (a 4th item is the ticket type).
        policies={
            "Technická podpora": [
                (1, "1wd", ""),
                (2, "1wd", ""),
                (3, "7d", ""),
                (4, "1wd", "release"),
                (5, "1wd", "release"),
                *[(p, "1wd", "1wd", "question") for p in (1, 2, 3, 4, 5)],
            ]
        },
        plans=[
            _plan(
                "tp",
                "Technická podpora InTouch CRM Enterprise",
                "maintenance",
                channels=["phone", "email", "portal"],
                excluded_scopes=OUT_OF_SCOPE_INTOUCH,
                billable_scopes=["onsite"],
                languages=["cs"],
                require_identification=True,
                require_version_stated=True,
                serves_end_users=True,
                billing_mode="price_list",
                sla="Technická podpora",
            ),
        ],
        price_list_rate=1200,
        services=[
            ("skoleni", "Školení v sídle zákazníka", "hour", 1800, []),
            ("servis-na-miste", "Servisní zásah u zákazníka", "hour", 1200, []),
        ],
        customers=[
            Customer(
                "Autodíly Ústí s.r.o.",
                2811332,
                "customer",
                "tp",
                [("intouch-prochazka", "Lukáš", "Procházka", "authorised")],
                licence=("ICRM-2021-0415", 1500, None),  # any version, updates included
            ),
            Customer(
                "Reality Sever a.s.",
                2734559,
                "customer",
                "tp",
                [("intouch-cerna", "Lenka", "Černá", "authorised")],
                licence=("ICRM-2024-1107", 700, None),
            ),
        ],
        specialists=[
            (
                "Ing. Radek Šťastný",
                "CRM Servis Morava s.r.o.",
                "Olomoucký kraj",
                "stastny@crmservis.example",
                400,
            ),
            ("Jana Doležalová", "", "Praha", "dolezalova@example.cz", 150),
            ("Milan Kučera", "Kučera IT", "Jihomoravský kraj", "kucera@kucerait.example", -30),
        ],
        articles=[
            (
                "faq",
                "cs",
                "customers",
                "aktualizace-na-novou-verzi",
                "Jak aktualizovat InTouch CRM na novou verzi",
                "Aktualizovat lze z kterékoli verze na kteroukoli novější. Instalační pokyny "
                "najdete u každého vydání v sekci *Ke stažení*.",
            ),
        ],
        tickets=[
            ("intouch-prochazka", "Nejde odeslat hromadný e-mail", "incident", 1, 2, "open", 1),
            ("intouch-cerna", "Překlep v tiskové sestavě", "bug", 3, 3, "waiting_release", 10),
        ],
    ),
    VendorSetup(
        slug="harmonik",
        name="Harmonik",
        prefix="HAR",
        email="info@harmonik.example",
        phone="224 211 287",
        languages=["cs"],
        calendar={
            "timezone": "Europe/Prague",
            "week": week(
                {
                    "mon": [["08:30", "17:00"]],
                    "tue": [["08:30", "17:00"]],
                    "wed": [["08:30", "18:00"]],
                    "thu": [["08:30", "17:00"]],
                    "fri": [["10:00", "16:30"]],
                }
            ),
            "holidays": {"countries": ["CZ"], "dates": []},
        },
        product=("harmonik", "IS Harmonik"),
        versions=[("2026", 300, None), ("2025", 650, None)],
        # e-mail answered within 2 working days; data analysis and the answer within 3.
        policies={
            "Harmonik": [
                (1, "2wd", "3wd"),
                (2, "2wd", "3wd"),
                (3, "2wd", "3wd"),
                (4, "2wd", "3wd"),
                (5, "2wd", ""),
            ]
        },
        plans=[
            _plan(
                "zakladni",
                "Podpora uživatelů (e-mail a hotline zdarma)",
                "basic",
                channels=["email", "phone", "portal", "fax", "post"],
                billing_mode="price_list",
                require_supported_version=False,
                sla="Harmonik",
            ),
        ],
        services=[
            ("email", "E-mail (také fax a pošta)", "year", 0, ["email"]),
            ("hotline", "Telefon (hotline)", "year", 0, ["phone"]),
            ("sprava-serveru", "Správa serveru", "year", 20000, []),
            ("vzdaleny-pristup-pc", "Vzdálený přístup – 1 PC", "year", 3000, ["remote"]),
            (
                "vzdaleny-pristup-ip",
                "Vzdálený přístup – 1 veřejná IP adresa",
                "year",
                10000,
                ["remote"],
            ),
        ],
        price_list_rate=900,
        customers=[
            Customer(
                "Účetnictví Jelínek s.r.o.",
                2684711,
                "customer",
                "zakladni",
                [("harmonik-jelinek", "Karel", "Jelínek", "authorised")],
            ),
            Customer(
                "Stavebniny Kolín a.s.",
                2519832,
                "customer",
                "zakladni",
                [("harmonik-pokorna", "Hana", "Pokorná", "customer_admin")],
            ),
        ],
        articles=[
            (
                "faq",
                "cs",
                "public",
                "vzdaleny-pristup",
                "Jak funguje vzdálený přístup",
                "TeamViewer je součástí programu. Technikovi nadiktujte ID spojení; služba "
                "*Vzdálený přístup* se platí na kalendářní rok.",
            ),
        ],
        tickets=[
            ("harmonik-jelinek", "Chyba při uzávěrce roku", "problem", 2, 2, "open", 2),
            ("harmonik-pokorna", "Analýza dat – nesedí saldo", "question", 2, 3, "new", 0),
        ],
    ),
]

STAFF = [
    ("agent", "Operátor", "Hotline", "agent", 1),
    ("resitel", "Řešitel", "Druhá úroveň", "solver", 2),
    ("manager", "Vedoucí", "Podpory", "manager", 2),
]


def demo_phone(username: str) -> str:
    """A person's made-up mobile number, the same on every load (the hotline's caller ID)."""
    n = zlib.crc32(username.encode()) % 100_000_000
    return f"+420 7{n // 1_000_000:02d} {n // 1000 % 1000:03d} {n % 1000:03d}"


def _user(username: str, **fields) -> User:
    user, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


@transaction.atomic
def load_vendor(setup: VendorSetup, today: dt.date) -> tuple[Vendor, list[str]]:
    vendor, _ = Vendor.objects.get_or_create(
        slug=setup.slug,
        defaults={
            "name": setup.name,
            "ticket_prefix": setup.prefix,
            "support_email": setup.email,
            "support_phone": setup.phone,
            "languages": setup.languages,
            "price_list_rate": setup.price_list_rate,
            "configuration_not_emergency": setup.configuration_not_emergency,
            "forum_enabled": setup.forum,
        },
    )
    if setup.forum and not vendor.forum_enabled:  # a demo loaded before the forum had a switch
        vendor.forum_enabled = True
        vendor.save(update_fields=["forum_enabled"])
    cal, _ = BusinessCalendar.objects.get_or_create(
        vendor=vendor,
        name=f"{setup.name} – pracovní doba",
        defaults={
            "timezone": setup.calendar["timezone"],
            "week": setup.calendar["week"],
            "holiday_countries": setup.calendar["holidays"]["countries"],
            "holiday_dates": setup.calendar["holidays"]["dates"],
        },
    )
    vendor.calendar = cal
    policies = {}
    for name, targets in setup.policies.items():
        policy, _ = SlaPolicy.objects.get_or_create(
            vendor=vendor, name=name, defaults={"calendar": cal}
        )
        for priority, first, resolution, *kind in targets:
            SlaTarget.objects.get_or_create(
                policy=policy,
                priority=priority,
                ticket_type=kind[0] if kind else "",
                defaults={"first_response": first, "resolution": resolution},
            )
        policies[name] = policy
    plans = {}
    for spec in setup.plans:
        spec = dict(spec)
        sla = spec.pop("sla", None)
        plan, _ = Plan.objects.get_or_create(
            vendor=vendor, code=spec.pop("code"), defaults={**spec, "sla_policy": policies.get(sla)}
        )
        plans[plan.code] = plan
    vendor.start_plan = plans.get(setup.start_plan)
    vendor.warranty_plan = plans.get(setup.warranty_plan)
    vendor.public_plan = plans.get(setup.public_plan)
    vendor.save()
    load_scope_items(vendor)
    load_channels(vendor)
    product, _ = Product.objects.get_or_create(
        vendor=vendor, code=setup.product[0], defaults={"name": setup.product[1]}
    )
    for name, released_ago, supported_for in setup.versions:
        released = today - dt.timedelta(days=released_ago)
        version, created = Version.objects.get_or_create(
            product=product,
            name=name,
            defaults={
                "released_on": released,
                "supported_until": released + dt.timedelta(days=supported_for)
                if supported_for
                else None,
            },
        )
        if created:
            release = Release.objects.create(
                product=product,
                version=version,
                official=True,
                published_at=dt.datetime.combine(released, dt.time(9), PRAGUE),
                notes=f"Verze {name}",
            )
            guide = (
                f"{product.name} {name}: instalace\n\n"
                "1. Zálohujte databázi.\n2. Spusťte instalátor jako správce.\n"
                "3. Aktualizovat lze z kterékoli starší verze.\n"
            )
            ReleaseFile.objects.create(
                release=release,
                blob=storage.store(guide.encode()),
                filename=f"{product.code}-{name}-instalace.txt",
            )
    for code, name, unit, price, opens in setup.services:
        Service.objects.get_or_create(
            vendor=vendor,
            code=code,
            defaults={"name": name, "unit": unit, "price": Decimal(price), "opens_channels": opens},
        )
    team, _ = Team.objects.get_or_create(
        vendor=vendor, name="Hotline", defaults={"email": setup.email}
    )
    accounts = []
    for suffix, first, last, role, level in STAFF:
        user = _user(
            f"{setup.slug}-{suffix}",
            first_name=first,
            last_name=last,
            kind="staff",
            role=role,
            vendor=vendor,
            solver_level=level,
            email=f"{suffix}@{setup.slug}.example",
            is_staff=False,  # the administration is the superuser's; managers use the console
        )
        team.members.add(user)
        if role == "manager" and team.lead_id is None:
            team.lead = user
            team.save()
        accounts.append(f"{user.username} / {PASSWORD}  ({user.get_role_display()}, {setup.name})")
    for customer in setup.customers:
        org, _ = Organization.objects.get_or_create(
            vendor=vendor,
            ico=make_ico(customer.ico_seed),
            defaults={
                "name": customer.name,
                "stage": customer.stage,
                "language": customer.language,
            },
        )
        if customer.plan and not org.contracts.exists():
            Contract.objects.create(
                organization=org,
                plan=plans[customer.plan],
                number=f"{setup.prefix}-S-{org.pk:04d}",
                valid_from=today - dt.timedelta(days=365),
                valid_to=today + dt.timedelta(days=365),
            )
        for name in customer.functions:
            org.implemented_functions.get_or_create(name=name)
        if customer.package_minutes and not org.packages.exists():
            PrepaidPackage.objects.create(
                organization=org,
                name="Balík konzultací 10 h",
                minutes=customer.package_minutes,
                valid_from=today - dt.timedelta(days=30),
                valid_to=today + dt.timedelta(days=335),
            )
        if customer.licence:
            number, activated_ago, max_version_in = customer.licence
            Licence.objects.get_or_create(
                vendor=vendor,
                number=number,
                defaults={
                    "organization": org,
                    "product": product,
                    "activated_on": today - dt.timedelta(days=activated_ago),
                    "max_version_date": None
                    if max_version_in is None
                    else today + dt.timedelta(days=max_version_in),
                    "activation_code_hash": hashlib.sha256(f"{number}-KARTA".encode()).hexdigest(),
                },
            )
        for username, first, last, role in customer.contacts:
            user = _user(
                username,
                first_name=first,
                last_name=last,
                kind="customer",
                email=f"{username}@zakaznik.example",
                language=customer.language,
            )
            Contact.objects.get_or_create(
                user=user,
                defaults={
                    "organization": org,
                    "first_name": first,
                    "last_name": last,
                    "email": user.email,
                    "phone": demo_phone(username),
                    "role": role,
                    "language": customer.language,
                },
            )
            accounts.append(
                f"{username} / {PASSWORD}  ({dict(Contact.Role.choices)[role]}, {customer.name})"
            )
    return vendor, accounts


def load_tickets(setup: VendorSetup, vendor: Vendor, now: dt.datetime) -> int:
    from podpora.tickets import services

    if vendor.tickets.exists():
        return 0
    agent = User.objects.get(username=f"{setup.slug}-agent")
    product = vendor.products.first()
    version = product.versions.order_by("-released_on").first()
    for username, subject, kind, impact, urgency, state, days_ago in setup.tickets:
        contact = Contact.objects.select_related("organization").get(user__username=username)
        created = now - dt.timedelta(days=days_ago, hours=2)
        ticket = services.create_ticket(
            services.NewTicket(
                vendor=vendor,
                subject=subject,
                body=f"{subject}.\n\nDěkuji, {contact.full_name}",
                channel="portal",
                type=kind,
                impact=impact,
                urgency=urgency,
                organization=contact.organization,
                contact=contact,
                product=product,
                version=version,
                language=contact.language,
                licence=contact.organization.licences.first(),
            ),
            actor=contact.user,
            now=created,
        )
        if state != "new":
            services.assign_ticket(
                ticket, assignee=agent, actor=agent, now=created + dt.timedelta(minutes=20)
            )
            target = None if state == "open" else state
            services.reply(
                ticket,
                "Dobrý den, na požadavku pracujeme a brzy se ozveme.",
                actor=agent,
                new_state=target,
                now=created + dt.timedelta(minutes=30),
            )
    return len(setup.tickets)


def load_demo(now: dt.datetime | None = None, progress=None) -> list[str]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "is_superuser": True,
            "is_staff": True,
            "kind": "staff",
            "email": "admin@podpora.example",
        },
    )
    if created:
        admin.set_password("admin")
        admin.save()
    lines = ["admin / admin  (superuser, všichni dodavatelé)"]
    for i, setup in enumerate(VENDORS, 1):
        if progress:
            progress(f"[{i}/{len(VENDORS)}] {setup.name}")
        vendor, accounts = load_vendor(setup, today)
        load_tickets(setup, vendor, now)
        load_articles(setup, vendor, now)
        load_specialists(setup, vendor, today)
        lines.extend(load_billing(vendor, now))
        lines.extend(accounts)
    return lines


def load_articles(setup: VendorSetup, vendor: Vendor, now: dt.datetime) -> int:
    """The vendor's knowledge base articles (idempotent: by language and address)."""
    from podpora.kb.models import Article

    product = vendor.products.first()
    for days, (kind, language, audience, slug, title, body) in enumerate(setup.articles, 1):
        Article.objects.get_or_create(
            vendor=vendor,
            language=language,
            slug=slug,
            defaults={
                "kind": kind,
                "audience": audience,
                "title": title,
                "body": body,
                "product": product,
                "published_at": now - dt.timedelta(days=10 * days),
            },
        )
    return len(setup.articles)


def load_specialists(setup: VendorSetup, vendor: Vendor, today: dt.date) -> int:
    """The vendor's published certified specialists (idempotent: by name)."""
    from podpora.catalog.models import Specialist

    product = vendor.products.first()
    for name, company, region, email, valid_days in setup.specialists:
        specialist, created = Specialist.objects.get_or_create(
            vendor=vendor,
            name=name,
            defaults={
                "company": company,
                "region": region,
                "email": email,
                "certified_until": today + dt.timedelta(days=valid_days),
            },
        )
        if created and product is not None:
            specialist.products.add(product)
    return len(setup.specialists)


def load_billing(vendor: Vendor, now: dt.datetime) -> list[str]:
    """Harmonik's yearly services, HR Plus's prepaid package in use, ESTELAR's unused card."""
    from podpora.billing.models import Subscription, TimeEntry
    from podpora.billing.services import log_time
    from podpora.billing.subscriptions import record_purchase, subscribe
    from podpora.tickets import services

    today = timezone.localdate(now)
    if (
        vendor.slug == "harmonik"
        and not Subscription.objects.filter(organization__vendor=vendor).exists()
    ):
        jelinek = vendor.organizations.get(name="Účetnictví Jelínek s.r.o.")
        kolin = vendor.organizations.get(name="Stavebniny Kolín a.s.")
        subscribe(jelinek, vendor.services.get(code="vzdaleny-pristup-pc"), today.year)
        subscribe(jelinek, vendor.services.get(code="email"), today.year)
        # a product bought last November: remote access free this year
        record_purchase(kolin, vendor.products.first(), dt.date(today.year - 1, 11, 15))
    if vendor.slug == "hrplus" and not TimeEntry.objects.filter(ticket__vendor=vendor).exists():
        horak = Contact.objects.select_related("organization").get(user__username="hrplus-horak")
        agent = User.objects.get(username="hrplus-agent")
        product = vendor.products.first()
        ticket = services.create_ticket(
            services.NewTicket(
                vendor=vendor,
                subject="Roční zúčtování daně – postup",
                body="Telefonický dotaz na postup ročního zúčtování.",
                channel="phone",
                organization=horak.organization,
                contact=horak,
                product=product,
                version=product.versions.order_by("-released_on").first(),
            ),
            actor=agent,
            now=now - dt.timedelta(days=3),
        )
        services.record_call(
            ticket,
            "Vysvětlen postup.",
            actor=agent,
            duration_minutes=45,
            now=now - dt.timedelta(days=3),
        )
        log_time(ticket, agent, 480, "Konzultace ročního zúčtování", today - dt.timedelta(days=3))
        log_time(
            ticket, agent, 90, "Nastavení slev na dani", today - dt.timedelta(days=1)
        )  # 30 min left
    if vendor.slug == "estelar":
        from podpora.billing.models import VendorBilling

        VendorBilling.objects.get_or_create(
            vendor=vendor,
            defaults={
                "legal_name": "ESTELAR s.r.o.",
                "address": "Palackého 1234\n769 01 Holešov",
                "ico": "45678901",
                "dic": "CZ45678901",
                "bank_account": "123456789/0100",
            },
        )
        return [
            "ESTELAR, první registrace: /portal/register/ – licence ACS-2026-0200, kód ACS-2026-0200-KARTA"
        ]
    return []
