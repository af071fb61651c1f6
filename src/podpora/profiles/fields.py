"""Every section of a profile: its keys in their canonical order, with the default each key
takes when the file leaves it out (``REQUIRED``: no default). Pure: no Django."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

REQUIRED = object()
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

VENDOR = {
    "slug": REQUIRED,
    "name": REQUIRED,
    "ticket_prefix": REQUIRED,
    "support_email": "",
    "support_phone": "",
    "languages": ["cs"],
    "calendar": None,
    "price_list_rate": None,
    "configuration_not_emergency": False,
    "quotes_by_customer_admin": False,
    "problem_resolves_incidents": False,
    "forum_enabled": False,
    "forum_moderators": [],
    "start_plan": None,
    "warranty_plan": None,
    "public_plan": None,
}
BILLING = {
    "legal_name": REQUIRED,
    "address": REQUIRED,
    "ico": REQUIRED,
    "dic": "",
    "bank_account": REQUIRED,
    "due_days": 14,
}
PUBLIC_FORM = {
    "intro": "",
    "intro_sk": "",
    "intro_en": "",
    "thanks": "",
    "thanks_sk": "",
    "thanks_en": "",
}
CALENDAR = {
    "name": REQUIRED,
    "timezone": "Europe/Prague",
    "week": REQUIRED,
    "holidays": {"countries": [], "dates": []},
}
SLA_POLICY = {
    "name": REQUIRED,
    "calendar": REQUIRED,
    "warn_percent": 80,
    "escalate_on_breach": True,
    "targets": [],
}
TARGET = {"priority": REQUIRED, "type": "", "first_response": "", "resolution": ""}
PLAN = {
    "code": REQUIRED,
    "name": REQUIRED,
    "kind": REQUIRED,
    "description": "",
    "sla_policy": None,
    "channels": [],
    "billable_channels": [],
    "covered_types": [],
    "excluded_scopes": [],
    "billable_scopes": [],
    "languages": [],
    "require_supported_version": True,
    "require_identification": False,
    "require_version_stated": False,
    "serves_end_users": False,
    "billing_mode": "none",
    "hourly_rate": None,
    "duration_months": None,
    "free_call_minutes": None,
    "free_call_period": "month",
}
PRODUCT = {"code": REQUIRED, "name": REQUIRED, "versions": []}
VERSION = {"name": REQUIRED, "released_on": None, "supported_until": None, "releases": []}
RELEASE = {"published_at": REQUIRED, "official": True, "notes": "", "files": []}
FILE = {"filename": REQUIRED, "text": None, "sha256": None}
SERVICE = {
    "code": REQUIRED,
    "name": REQUIRED,
    "description": "",
    "unit": "year",
    "price": 0,
    "vat_rate": 21,
    "opens_channels": [],
}
SCOPE_ITEM = {
    "code": REQUIRED,
    "name": REQUIRED,
    "name_sk": "",
    "name_en": "",
    "outcome": "rejected",
    "channels": [],
}
CHANNEL = {
    "channel": REQUIRED,
    "contact": "",
    "calendar": None,
    "always_open": False,
    "note": "",
    "note_sk": "",
    "note_en": "",
}
STAFF = {
    "username": REQUIRED,
    "first_name": "",
    "last_name": "",
    "email": "",
    "role": "agent",
    "solver_level": 1,
    "language": "cs",
    "is_active": True,
}
TEAM = {"name": REQUIRED, "email": "", "lead": None, "members": []}
MAILBOX = {
    "name": REQUIRED,
    "address": REQUIRED,
    "imap_host": "",
    "imap_port": 993,
    "imap_user": "",
    "imap_folder": "INBOX",
    "imap_security": "tls",
    "processed_folder": "",
    "processed_flag": "\\Seen",
    "team": None,
    "product": None,
    "unknown_sender_policy": "ticket_unverified",
    "foreign_reply_policy": "new_ticket",
    "is_active": True,
}
MACRO = {
    "name": REQUIRED,
    "team": None,
    "body_cs": "",
    "body_sk": "",
    "body_en": "",
    "set_state": "",
    "set_impact": None,
    "set_urgency": None,
    "set_type": "",
    "set_scope": "",
    "set_assignee": None,
    "assign_to_actor": False,
    "is_active": True,
}

#: top-level lists: key -> (fields of one item, nested lists: key -> (fields, nested))
LISTS = {
    "calendars": (CALENDAR, {}),
    "sla_policies": (SLA_POLICY, {"targets": (TARGET, {})}),
    "plans": (PLAN, {}),
    "products": (
        PRODUCT,
        {"versions": (VERSION, {"releases": (RELEASE, {"files": (FILE, {})})})},
    ),
    "services": (SERVICE, {}),
    "scope_items": (SCOPE_ITEM, {}),
    "channels": (CHANNEL, {}),
    "staff": (STAFF, {}),
    "teams": (TEAM, {}),
    "mailboxes": (MAILBOX, {}),
    "macros": (MACRO, {}),
}
MONEY = {"price_list_rate", "hourly_rate", "price", "vat_rate"}


def money(value):
    """A price as the file writes it: 1500, 1234.5; None stays None."""
    if value is None:
        return None
    try:
        amount = Decimal(str(value)).normalize()
    except InvalidOperation:
        return value
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _item(spec: dict, nested: dict, data: dict, *, full: bool) -> dict:
    out = {}
    for key, default in spec.items():
        value = data.get(key, default)
        if key in nested:
            fields, inner = nested[key]
            value = [_item(fields, inner, v, full=full) for v in value or []]
            if key == "targets":
                value.sort(key=lambda t: (t["priority"], t.get("type", "")))
        elif key in MONEY:
            value = money(value)
        elif key in ("members", "forum_moderators"):
            value = sorted(value or [])
        elif key == "week":
            value = {day: (value or {}).get(day, []) for day in DAYS}
        elif key == "holidays":
            value = {
                "countries": (value or {}).get("countries", []),
                "dates": (value or {}).get("dates", []),
            }
        if full or default is REQUIRED or value != _plain(default, key):
            out[key] = value
    return out


def _plain(default, key):
    return money(default) if key in MONEY else default


def canonical(profile: dict, *, full: bool = False) -> dict:
    """The profile with keys in their order, defaults left out (``full``: filled in)."""
    out: dict = {"schema": profile.get("schema", 1)}
    out["vendor"] = _item(VENDOR, {}, profile.get("vendor") or {}, full=full)
    if profile.get("billing"):
        out["billing"] = _item(BILLING, {}, profile["billing"], full=full)
    if profile.get("public_form") or full:
        texts = _item(PUBLIC_FORM, {}, profile.get("public_form") or {}, full=full)
        if texts or full:
            out["public_form"] = texts
    for key, (fields, nested) in LISTS.items():
        items = [_item(fields, nested, item, full=full) for item in profile.get(key) or []]
        if items or full:
            out[key] = items
    return out
