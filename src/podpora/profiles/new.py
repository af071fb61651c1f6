"""A new vendor with Czech defaults, made by loading a default profile: CZ holidays,
Europe/Prague, a working week Mon–Fri 8–16, one basic plan with one SLA policy, a
Hotline team led by the first manager, who is invited by e-mail to set a password."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def default_prefix(slug: str) -> str:
    return (re.sub(r"[^A-Z0-9]", "", slug.upper()) or "V")[:8]


def default_profile(slug: str, name: str, manager_email: str, prefix: str = "") -> dict:
    calendar = _("%(name)s – pracovní doba") % {"name": name}
    policy = _("Základní SLA")
    manager = manager_email.strip().lower()
    return {
        "schema": 1,
        "vendor": {
            "slug": slug,
            "name": name,
            "ticket_prefix": prefix or default_prefix(slug),
            "support_email": manager,
            "languages": ["cs"],
            "calendar": calendar,
        },
        "calendars": [
            {
                "name": calendar,
                "timezone": "Europe/Prague",
                "week": {
                    day: [["08:00", "16:00"]] if day in WEEKDAYS else []
                    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                },
                "holidays": {"countries": ["CZ"], "dates": []},
            }
        ],
        "sla_policies": [
            {
                "name": policy,
                "calendar": calendar,
                "targets": [
                    {"priority": 1, "first_response": "4h", "resolution": "2wd"},
                    {"priority": 2, "first_response": "8h", "resolution": "3wd"},
                    {"priority": 3, "first_response": "1wd", "resolution": "5wd"},
                    {"priority": 4, "first_response": "2wd", "resolution": "10wd"},
                    {"priority": 5, "first_response": "3wd", "resolution": ""},
                ],
            }
        ],
        "plans": [
            {
                "code": "zakladni",
                "name": _("Základní podpora"),
                "kind": "basic",
                "sla_policy": policy,
                "channels": ["portal", "email", "phone"],
            }
        ],
        "channels": [
            {"channel": "portal", "always_open": True},
            {"channel": "email", "contact": manager, "always_open": True},
        ],
        "staff": [{"username": manager, "email": manager, "role": "manager", "solver_level": 2}],
        "teams": [{"name": "Hotline", "email": manager, "lead": manager, "members": [manager]}],
    }


@transaction.atomic
def create_vendor(profile: dict):
    """Load the (checked) default profile and invite its manager after the commit."""
    from podpora.accounts.models import User
    from podpora.core.queue import enqueue
    from podpora.mail.tasks import send_staff_invitation

    from .load import load_profile

    outcome = load_profile(profile)
    manager = User.objects.get(username=profile["staff"][0]["username"])
    enqueue(send_staff_invitation, manager.pk)
    return outcome.vendor, manager
