"""The demo vendors' rules from their own pages that live in rows of their own: the kinds of
request their support does not cover, and their channels with numbers and hours.

Scope items: (code, Czech, Slovak, English, outcome, channels it concerns; empty = all). A
plan's own excluded / billable scopes come first (InTouch's plan sells on-site work).
"""

from __future__ import annotations

SCOPE_ITEMS: dict[str, list[tuple[str, str, str, str, str, list[str]]]] = {
    "hrplus": [
        ("training", "Školení produktu", "Školenie produktu", "Product training", "rejected", []),
        (
            "third_party",
            "Integrace s produkty třetích stran",
            "Integrácia s produktmi tretích strán",
            "Integration with third-party products",
            "rejected",
            [],
        ),
        (
            "operations",
            "Provozní služby (konzultace, provozní podpora)",
            "Prevádzkové služby (konzultácie, prevádzková podpora)",
            "Operational services (consulting, operational support)",
            "rejected",
            [],
        ),
    ],
    "estelar": [
        (
            "data_export",
            "Nastavení datových exportů pro nadřazené systémy",
            "Nastavenie dátových exportov pre nadradené systémy",
            "Configuring data exports for parent systems",
            "covered",  # by HOTLINE; START's plan excludes it
            [],
        ),
        ("training", "Školení uživatelů", "Školenie používateľov", "User training", "rejected", []),
        (
            "global_configuration",
            "Globální konfigurace systému",
            "Globálna konfigurácia systému",
            "Global configuration of the system",
            "covered",  # by HOTLINE; START's plan excludes it
            [],
        ),
    ],
    "intouch": [
        (
            "installation",
            "Instalace nebo aktualizace programu",
            "Inštalácia alebo aktualizácia programu",
            "Installing or updating the program",
            "rejected",
            [],
        ),
        (
            "programming",
            "Programátorské práce",
            "Programátorské práce",
            "Programming",
            "rejected",
            [],
        ),
        (
            "consulting",
            "Odborné konzultace",
            "Odborné konzultácie",
            "Professional consulting",
            "rejected",
            [],
        ),
        (
            "onsite",
            "Servisní zásah u zákazníka",
            "Servisný zásah u zákazníka",
            "On-site intervention",
            "billable",
            [],
        ),
        ("analysis", "Analytické práce", "Analytické práce", "Analytical work", "rejected", []),
    ],
    "cloudempiere": [
        (
            "user_data",
            "Práce s uživatelskými daty",
            "Manipulácia s užívateľskými dátami",
            "Handling user data",
            "rejected",
            ["phone"],
        ),
        (
            "system_login",
            "Přihlášení do systému zákazníka",
            "Prihlásenie sa do prostredia zákazníka",
            "Logging into the customer's system",
            "rejected",
            ["phone"],
        ),
    ],
}


def load_scope_items(vendor) -> None:
    """Idempotent: existing items (maybe edited by staff) are left as they are."""
    from podpora.customers.models import ScopeItem

    for order, (code, cs, sk, en, outcome, channels) in enumerate(SCOPE_ITEMS.get(vendor.slug, [])):
        ScopeItem.objects.get_or_create(
            vendor=vendor,
            code=code,
            defaults={
                "name": cs,
                "name_sk": sk,
                "name_en": en,
                "outcome": outcome,
                "channels": channels,
                "order": order,
            },
        )


WORKDAYS_8_17 = {
    **{d: [["08:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    "sat": [],
    "sun": [],
}

#: channel, contact, own calendar (None = the vendor's), always open, note cs / sk / en
CHANNELS: dict[str, list[tuple[str, str, dict | None, bool, str, str, str]]] = {
    "hrplus": [
        (
            "portal",
            "",
            None,
            True,
            "Jediné místo pro registraci a řešení požadavků.",
            "Jediné miesto na registráciu a riešenie požiadaviek.",
            "The only place to register and resolve requests.",
        ),
        (
            "phone",
            "+420 602 570 507",
            None,
            False,
            "Výhradně přes tuto linku hotline; i pro náhradní registraci, když online podpora "
            "nejde.",
            "Výhradne cez túto linku hotline; aj na náhradnú registráciu, keď online podpora "
            "nejde.",
            "Only through this hotline number; also to register a request when online support "
            "is down.",
        ),
        (
            "webform",
            "",
            None,
            True,
            "Dotaz do Centra podpory: odpověď přijde na e-mail uvedený ve formuláři.",
            "Otázka do Centra podpory: odpoveď príde na e-mail uvedený vo formulári.",
            "A question to the support centre: the answer goes to the e-mail you give.",
        ),
    ],
    "cloudempiere": [
        (
            "portal",
            "",
            None,
            True,
            "Centrální bod komunikace, 365 dní v roce.",
            "Centrálny bod komunikácie, 365 dní v roku.",
            "The central point of communication, 365 days a year.",
        ),
        (
            "phone",
            "+421 2 000 000",
            {
                "name": "cloudempiere – telefonická podpora",
                "timezone": "Europe/Bratislava",
                "week": WORKDAYS_8_17,
                "holiday_countries": ["SK"],
            },
            False,
            "Otázky k základním funkcím; ne práce s uživatelskými daty ani přihlášení do "
            "systému zákazníka.",
            "Otázky k základným funkcionalitám; nie manipulácia s užívateľskými dátami ani "
            "prihlásenie sa do prostredia zákazníka.",
            "Questions about basic functions; not handling user data nor logging into the "
            "customer's system.",
        ),
        ("email", "podpora@cloudempiere.example", None, True, "", "", ""),
    ],
    "estelar": [
        (
            "phone",
            "+420 573 395 466",
            None,
            False,
            "Vždy nahlaste licenční číslo.",
            "Vždy nahláste licenčné číslo.",
            "Always give your licence number.",
        ),
        ("portal", "", None, True, "", "", ""),
        ("email", "podpora@estelar.example", None, True, "", "", ""),
    ],
    "intouch": [
        (
            "phone",
            "478 571 021",
            None,
            False,
            "Hovor je zpoplatněn podle ceníku vašeho operátora.",
            "Hovor je spoplatnený podľa cenníka vášho operátora.",
            "Calls are charged at your operator's rates.",
        ),
        (
            "email",
            "support@intouch-crm.example",
            None,
            True,
            "Uveďte IČO nebo název firmy, své jméno a příjmení a verzi programu.",
            "Uveďte IČO alebo názov firmy, svoje meno a priezvisko a verziu programu.",
            "Give your company ID or name, your first and last name and the program version.",
        ),
    ],
    "harmonik": [
        (
            "phone",
            "224 211 287",
            None,
            False,
            "Hotline; s předplaceným vzdáleným přístupem se technik připojí k vašemu počítači.",
            "Hotline; s predplateným vzdialeným prístupom sa technik pripojí k vášmu počítaču.",
            "Hotline; with the remote-access subscription the technician connects to your "
            "computer.",
        ),
        (
            "email",
            "info@harmonik.example",
            None,
            True,
            "Také fax a pošta; odpovíme nejpozději do 2 pracovních dnů.",
            "Aj fax a pošta; odpovieme najneskôr do 2 pracovných dní.",
            "Also fax and post; answered within 2 working days at most.",
        ),
    ],
}


def load_channels(vendor) -> None:
    """Idempotent: a channel already configured is left as it is."""
    from podpora.customers.models import ChannelInfo
    from podpora.sla.models import BusinessCalendar

    for order, (channel, contact, calendar, always, cs, sk, en) in enumerate(
        CHANNELS.get(vendor.slug, [])
    ):
        if ChannelInfo.objects.filter(vendor=vendor, channel=channel).exists():
            continue
        cal = None
        if calendar is not None:
            cal, _created = BusinessCalendar.objects.get_or_create(
                vendor=vendor,
                name=calendar["name"],
                defaults={
                    "timezone": calendar["timezone"],
                    "week": calendar["week"],
                    "holiday_countries": calendar["holiday_countries"],
                },
            )
        ChannelInfo.objects.create(
            vendor=vendor,
            channel=channel,
            contact=contact,
            calendar=cal,
            always_open=always,
            note=cs,
            note_sk=sk,
            note_en=en,
            order=order,
        )
