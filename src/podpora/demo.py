"""Demo data: the five vendors of the seed pages, set up as their pages describe them.

Each vendor's configuration is its profile (``profiles/vendors/<slug>.yaml``, loaded as
``podpora vendor load`` does); this module adds the sample customers, tickets, articles and
specialists. Idempotent: rows are found by their natural keys; demo tickets are created only
once per vendor.
Every account's password is `demo` (the superuser `admin` has `admin`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from podpora.accounts.models import User
from podpora.customers.models import (
    Contact,
    Contract,
    Licence,
    Organization,
    PrepaidPackage,
    Vendor,
)
from podpora.profiles.files import VENDORS_DIR, load_file

PRAGUE = ZoneInfo("Europe/Prague")
PASSWORD = "demo"


def make_ico(seed: int) -> str:
    """A valid IČO built from a 7-digit seed (mod-11 check digit)."""
    digits = f"{seed:07d}"
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    return digits + str((11 - total % 11) % 10)


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
    #: number, activated days ago, max version date: days from today (HOTLINE START's end),
    #: (version, days after its release) (updates up to that version), None (every version)
    licence: tuple[str, int, int | tuple[str, int] | None] | None = None
    package_minutes: int = 0
    language: str = "cs"
    #: HR Plus: the functions being implemented (the phone serves these during implementation)
    functions: list[str] = field(default_factory=list)
    address: str = ""  #: postal address (ESTELAR's proforma invoice)


@dataclass
class VendorSetup:
    """A seed vendor's sample data; its configuration is its profile file
    (``profiles/vendors/<slug>.yaml``)."""

    slug: str
    name: str
    customers: list[Customer] = field(default_factory=list)
    tickets: list[tuple] = field(default_factory=list)
    #: certified specialists: (name, company, region, e-mail, certificate valid for days)
    specialists: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    #: knowledge base: (kind, language, audience, slug, title, Markdown body)
    articles: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)


VENDORS: list[VendorSetup] = [
    VendorSetup(
        slug="hrplus",
        name="HR Plus",
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
        customers=[
            Customer(
                "Obec Rusava",
                2877312,
                "customer",
                None,
                [("estelar-kratochvil", "Josef", "Kratochvíl", "authorised")],
                licence=("ACS-2026-0147", 40, 140),
                address="Rusava 55\n768 41 Rusava",
            ),
            Customer(
                "Zámečnictví Zlín s.r.o.",
                2640532,
                "customer",
                None,
                [("estelar-bartos", "Pavel", "Bartoš", "authorised")],
                licence=("ACS-2025-0031", 400, ("6.0", -1)),
                address="Bartošova 12\n760 01 Zlín",
            ),
            Customer(
                "Mlékárna Holešov a.s.",
                2597451,
                "customer",
                "hotline",
                [("estelar-vesela", "Ivana", "Veselá", "authorised")],
                licence=("ACS-2024-0008", 800, ("5.8", 80)),
                address="Bezručova 600\n769 01 Holešov",
            ),
            Customer(
                "Truhlářství Bystřice s.r.o.",
                2719541,
                "customer",
                None,
                [],
                licence=("ACS-2026-0200", 5, 175),
                address="Zahradní 4\n768 61 Bystřice pod Hostýnem",
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


def _max_version_date(spec, product, today: dt.date) -> dt.date | None:
    if spec is None:
        return None
    if isinstance(spec, tuple):
        name, days = spec
        return product.versions.get(name=name).released_on + dt.timedelta(days=days)
    return today + dt.timedelta(days=spec)


def _profile(slug: str) -> Path:
    return VENDORS_DIR / f"{slug}.yaml"


@transaction.atomic
def load_vendor(setup: VendorSetup, today: dt.date) -> tuple[Vendor, list[str]]:
    """The vendor's profile, then its sample customers; the staff the profile created get the
    demo password (a profile never holds passwords)."""
    vendor = load_file(_profile(setup.slug)).vendor
    plans = {plan.code: plan for plan in vendor.plans.all()}
    product = vendor.products.order_by("pk").first()
    accounts = []
    for user in User.objects.filter(vendor=vendor, kind="staff").order_by("pk"):
        if not user.has_usable_password():
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        accounts.append(f"{user.username} / {PASSWORD}  ({user.get_role_display()}, {vendor.name})")
    for customer in setup.customers:
        org, _ = Organization.objects.get_or_create(
            vendor=vendor,
            ico=make_ico(customer.ico_seed),
            defaults={
                "name": customer.name,
                "stage": customer.stage,
                "language": customer.language,
                "address": customer.address,
            },
        )
        if customer.plan and not org.contracts.exists():
            Contract.objects.create(
                organization=org,
                plan=plans[customer.plan],
                number=f"{vendor.ticket_prefix}-S-{org.pk:04d}",
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
            number, activated_ago, max_version = customer.licence
            Licence.objects.get_or_create(
                vendor=vendor,
                number=number,
                defaults={
                    "organization": org,
                    "product": product,
                    "activated_on": today - dt.timedelta(days=activated_ago),
                    "max_version_date": _max_version_date(max_version, product, today),
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
    if vendor.slug == "estelar":  # its invoicing details are in its profile
        return [
            "ESTELAR, první registrace: /portal/register/ – licence ACS-2026-0200, kód ACS-2026-0200-KARTA"
        ]
    return []
