"""The demo vendors' kinds of request their support does not cover, from their own pages.

(code, Czech, Slovak, English, outcome, channels it concerns; empty = all). A plan's own
excluded / billable scopes come first (InTouch's plan sells on-site work).
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
