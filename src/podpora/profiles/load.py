"""A checked profile into the database, by natural keys; a row is written only when it
differs, so loading the same profile twice writes nothing (no configuration cache is
invalidated, no history grows). Rows the profile does not name are left alone, except the
parts of one row's definition: an SLA policy's targets and a team's members."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from podpora.core import storage

from .check import Problem, line_of, where
from .fields import MONEY, canonical


@dataclass
class Outcome:
    vendor: object = None
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def conflicts(profile: dict, lines) -> list[Problem]:
    """What the database refuses: names another vendor or a customer already holds."""
    from podpora.accounts.models import User
    from podpora.core.models import Blob
    from podpora.customers.models import Vendor
    from podpora.mail.models import Mailbox

    slug = profile["vendor"]["slug"]
    out = []

    def problem(path, message):
        out.append(Problem(line_of(lines, path), where(path), message))

    prefix = profile["vendor"]["ticket_prefix"]
    if Vendor.objects.filter(ticket_prefix=prefix).exclude(slug=slug).exists():
        problem(
            ("vendor", "ticket_prefix"),
            _("předponu „%(value)s“ už má jiný dodavatel") % {"value": prefix},
        )
    for i, person in enumerate(profile.get("staff") or []):
        user = User.objects.filter(username=person["username"]).select_related("vendor").first()
        if user is not None and (
            user.kind != "staff" or user.vendor is None or user.vendor.slug != slug
        ):
            problem(
                ("staff", i, "username"),
                _("uživatelské jméno „%(value)s“ už patří někomu jinému")
                % {"value": user.username},
            )
    for i, box in enumerate(profile.get("mailboxes") or []):
        if Mailbox.objects.filter(address=box["address"]).exclude(vendor__slug=slug).exists():
            problem(
                ("mailboxes", i, "address"),
                _("adresu „%(value)s“ už má jiný dodavatel") % {"value": box["address"]},
            )
    for i, product in enumerate(profile.get("products") or []):
        for j, version in enumerate(product.get("versions") or []):
            for k, release in enumerate(version.get("releases") or []):
                for m, file in enumerate(release.get("files") or []):
                    digest = file.get("sha256")
                    if digest and not Blob.objects.filter(sha256=digest).exists():
                        path = ("products", i, "versions", j, "releases", k, "files", m, "sha256")
                        problem(path, _("soubor s tímto otiskem není v úložišti"))
    return out


def _same(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is new
        return Decimal(str(old)) == Decimal(str(new))
    return old == new


class _Writer:
    def __init__(self, outcome: Outcome):
        self.outcome = outcome

    def upsert(self, model, lookup: dict, values: dict, label: str):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            if hasattr(obj, "set_unusable_password"):
                obj.set_unusable_password()  # passwords are never in a profile
            obj.save()
            self.outcome.created.append(label)
            return obj
        changed = [k for k, v in values.items() if not _same(getattr(obj, k), v)]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            obj.save(update_fields=changed)
            self.outcome.updated.append(label)
        return obj


def _money(value):
    return None if value is None else Decimal(str(value))


@transaction.atomic
def load_profile(profile: dict) -> Outcome:
    """Load a profile that ``check.validate`` and ``conflicts`` found clean."""
    from podpora.accounts.models import Team, User
    from podpora.billing.models import VendorBilling
    from podpora.catalog.models import Product, Release, ReleaseFile, Service, Version
    from podpora.customers.models import ChannelInfo, Plan, PublicFormText, ScopeItem, Vendor
    from podpora.macros.models import Macro
    from podpora.mail.models import Mailbox
    from podpora.sla.models import BusinessCalendar, SlaPolicy, SlaTarget

    p = canonical(profile, full=True)
    out = Outcome()
    w = _Writer(out)
    v = p["vendor"]
    plain = {
        k: (_money(v[k]) if k in MONEY else v[k])
        for k in (
            "name",
            "ticket_prefix",
            "support_email",
            "support_phone",
            "languages",
            "price_list_rate",
            "configuration_not_emergency",
            "quotes_by_customer_admin",
            "problem_resolves_incidents",
            "forum_enabled",
        )
    }
    vendor = w.upsert(Vendor, {"slug": v["slug"]}, plain, f"vendor {v['slug']}")
    out.vendor = vendor
    if "billing" in p:
        w.upsert(VendorBilling, {"vendor": vendor}, p["billing"], "billing")
    if any(p["public_form"].values()) or PublicFormText.objects.filter(vendor=vendor).exists():
        w.upsert(PublicFormText, {"vendor": vendor}, p["public_form"], "public form")
    calendars = {}
    for c in p["calendars"]:
        calendars[c["name"]] = w.upsert(
            BusinessCalendar,
            {"vendor": vendor, "name": c["name"]},
            {
                "timezone": c["timezone"],
                "week": c["week"],
                "holiday_countries": c["holidays"]["countries"],
                "holiday_dates": c["holidays"]["dates"],
            },
            f"calendar {c['name']}",
        )
    policies = {}
    for s in p["sla_policies"]:
        policy = w.upsert(
            SlaPolicy,
            {"vendor": vendor, "name": s["name"]},
            {
                "calendar": calendars[s["calendar"]],
                "warn_percent": s["warn_percent"],
                "escalate_on_breach": s["escalate_on_breach"],
            },
            f"sla {s['name']}",
        )
        policies[s["name"]] = policy
        keep = []
        for t in s["targets"]:
            target = w.upsert(
                SlaTarget,
                {"policy": policy, "priority": t["priority"], "ticket_type": t["type"]},
                {"first_response": t["first_response"], "resolution": t["resolution"]},
                f"sla {s['name']} P{t['priority']} {t['type']}",
            )
            keep.append(target.pk)
        stale = policy.targets.exclude(pk__in=keep)
        if stale.exists():
            stale.delete()
            out.updated.append(f"sla {s['name']} targets")
    plans = {}
    for x in p["plans"]:
        values = {k: val for k, val in x.items() if k not in ("code", "sla_policy")}
        values["hourly_rate"] = _money(values["hourly_rate"])
        values["sla_policy"] = policies.get(x["sla_policy"])
        plans[x["code"]] = w.upsert(
            Plan, {"vendor": vendor, "code": x["code"]}, values, f"plan {x['code']}"
        )
    vendor = out.vendor = w.upsert(
        Vendor,
        {"pk": vendor.pk},
        {
            "calendar": calendars.get(v["calendar"]),
            "start_plan": plans.get(v["start_plan"]),
            "warranty_plan": plans.get(v["warranty_plan"]),
            "public_plan": plans.get(v["public_plan"]),
        },
        f"vendor {v['slug']} links",
    )
    products = {}
    for x in p["products"]:
        product = w.upsert(
            Product,
            {"vendor": vendor, "code": x["code"]},
            {"name": x["name"]},
            f"product {x['code']}",
        )
        products[x["code"]] = product
        for ver in x["versions"]:
            version = w.upsert(
                Version,
                {"product": product, "name": ver["name"]},
                {
                    "released_on": _date(ver["released_on"]),
                    "supported_until": _date(ver["supported_until"]),
                },
                f"version {x['code']} {ver['name']}",
            )
            for r in ver["releases"]:
                release = w.upsert(
                    Release,
                    {
                        "version": version,
                        "published_at": dt.datetime.fromisoformat(r["published_at"]),
                    },
                    {"product": product, "official": r["official"], "notes": r["notes"]},
                    f"release {x['code']} {ver['name']}",
                )
                for f in r["files"]:
                    digest = f["sha256"]
                    if f["text"] is not None:
                        digest = storage.store(f["text"].encode()).sha256
                    w.upsert(
                        ReleaseFile,
                        {"release": release, "filename": f["filename"]},
                        {"blob_id": digest},
                        f"file {f['filename']}",
                    )
    for x in p["services"]:
        values = {k: val for k, val in x.items() if k != "code"}
        values["price"] = _money(values["price"])
        values["vat_rate"] = _money(values["vat_rate"])
        w.upsert(Service, {"vendor": vendor, "code": x["code"]}, values, f"service {x['code']}")
    for order, x in enumerate(p["scope_items"]):
        values = {k: val for k, val in x.items() if k != "code"}
        w.upsert(
            ScopeItem,
            {"vendor": vendor, "code": x["code"]},
            {**values, "order": order},
            f"scope {x['code']}",
        )
    for order, x in enumerate(p["channels"]):
        values = {k: val for k, val in x.items() if k != "channel"}
        values["calendar"] = calendars.get(x["calendar"])
        w.upsert(
            ChannelInfo,
            {"vendor": vendor, "channel": x["channel"]},
            {**values, "order": order},
            f"channel {x['channel']}",
        )
    users = {}
    for x in p["staff"]:
        values = {k: val for k, val in x.items() if k != "username"}
        users[x["username"]] = w.upsert(
            User,
            {"username": x["username"]},
            {**values, "kind": "staff", "vendor": vendor},
            f"staff {x['username']}",
        )
    moderators = {users[name].pk for name in v["forum_moderators"]}
    if set(vendor.forum_moderators.values_list("pk", flat=True)) != moderators:
        vendor.forum_moderators.set(moderators)
        out.updated.append(f"vendor {v['slug']} forum moderators")
    teams = {}
    for x in p["teams"]:
        team = w.upsert(
            Team,
            {"vendor": vendor, "name": x["name"]},
            {"email": x["email"], "lead": users.get(x["lead"])},
            f"team {x['name']}",
        )
        teams[x["name"]] = team
        wanted = {users[name].pk for name in x["members"]}
        if set(team.members.values_list("pk", flat=True)) != wanted:
            team.members.set(wanted)
            out.updated.append(f"team {x['name']} members")
    for x in p["mailboxes"]:
        values = {k: val for k, val in x.items() if k not in ("address", "team", "product")}
        values["team"] = teams.get(x["team"])
        values["product"] = products.get(x["product"])
        w.upsert(
            Mailbox,
            {"address": x["address"]},
            {**values, "vendor": vendor},
            f"mailbox {x['address']}",
        )
    for x in p["macros"]:
        values = {k: val for k, val in x.items() if k not in ("name", "team", "set_assignee")}
        values["team"] = teams.get(x["team"])
        values["set_assignee"] = users.get(x["set_assignee"])
        w.upsert(Macro, {"vendor": vendor, "name": x["name"]}, values, f"macro {x['name']}")
    return out


def _date(text):
    return dt.date.fromisoformat(text) if text else None
