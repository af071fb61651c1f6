"""A vendor's configuration rows as a profile (the full form; ``fields.canonical`` trims it)."""

from __future__ import annotations

from django.utils import timezone

from podpora.core import storage

from . import SCHEMA_VERSION
from .fields import PUBLIC_FORM

#: a release file up to this size that is UTF-8 text goes into the profile as text
TEXT_LIMIT = 64 * 1024


def export_vendor(vendor) -> dict:
    from podpora.accounts.models import User
    from podpora.billing.models import VendorBilling
    from podpora.customers.models import PublicFormText

    plan_code = {p.pk: p.code for p in vendor.plans.all()}
    calendars = list(vendor.calendars.order_by("pk"))
    cal_name = {c.pk: c.name for c in calendars}
    profile: dict = {
        "schema": SCHEMA_VERSION,
        "vendor": {
            "slug": vendor.slug,
            "name": vendor.name,
            "ticket_prefix": vendor.ticket_prefix,
            "support_email": vendor.support_email,
            "support_phone": vendor.support_phone,
            "languages": list(vendor.languages),
            "calendar": cal_name.get(vendor.calendar_id),
            "price_list_rate": vendor.price_list_rate,
            "configuration_not_emergency": vendor.configuration_not_emergency,
            "quotes_by_customer_admin": vendor.quotes_by_customer_admin,
            "problem_resolves_incidents": vendor.problem_resolves_incidents,
            "forum_enabled": vendor.forum_enabled,
            "forum_moderators": sorted(u.username for u in vendor.forum_moderators.all()),
            "start_plan": plan_code.get(vendor.start_plan_id),
            "warranty_plan": plan_code.get(vendor.warranty_plan_id),
            "public_plan": plan_code.get(vendor.public_plan_id),
        },
    }
    billing = VendorBilling.objects.filter(vendor=vendor).first()
    if billing is not None:
        profile["billing"] = {
            f: getattr(billing, f)
            for f in ("legal_name", "address", "ico", "dic", "bank_account", "due_days")
        }
    texts = PublicFormText.objects.filter(vendor=vendor).first()
    if texts is not None:
        profile["public_form"] = {f: getattr(texts, f) for f in PUBLIC_FORM}
    profile["calendars"] = [
        {
            "name": c.name,
            "timezone": c.timezone,
            "week": c.week,
            "holidays": {"countries": c.holiday_countries, "dates": c.holiday_dates},
        }
        for c in calendars
    ]
    profile["sla_policies"] = [
        {
            "name": s.name,
            "calendar": cal_name.get(s.calendar_id),
            "warn_percent": s.warn_percent,
            "escalate_on_breach": s.escalate_on_breach,
            "targets": [
                {
                    "priority": t.priority,
                    "type": t.ticket_type,
                    "first_response": t.first_response,
                    "resolution": t.resolution,
                }
                for t in s.targets.all()
            ],
        }
        for s in vendor.sla_policies.order_by("pk").prefetch_related("targets")
    ]
    profile["plans"] = [_plan(p) for p in vendor.plans.order_by("pk").select_related("sla_policy")]
    profile["products"] = [_product(p) for p in vendor.products.order_by("pk")]
    profile["services"] = [
        {
            "code": s.code,
            "name": s.name,
            "description": s.description,
            "unit": s.unit,
            "price": s.price,
            "vat_rate": s.vat_rate,
            "opens_channels": list(s.opens_channels),
        }
        for s in vendor.services.order_by("pk")
    ]
    profile["scope_items"] = [
        {
            "code": i.code,
            "name": i.name,
            "name_sk": i.name_sk,
            "name_en": i.name_en,
            "outcome": i.outcome,
            "channels": list(i.channels),
        }
        for i in vendor.scope_items.order_by("order", "pk")
    ]
    profile["channels"] = [
        {
            "channel": c.channel,
            "contact": c.contact,
            "calendar": cal_name.get(c.calendar_id),
            "always_open": c.always_open,
            "note": c.note,
            "note_sk": c.note_sk,
            "note_en": c.note_en,
        }
        for c in vendor.channel_infos.order_by("order", "pk")
    ]
    profile["staff"] = [
        {
            "username": u.username,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "email": u.email,
            "role": u.role,
            "solver_level": u.solver_level,
            "language": u.language,
            "is_active": u.is_active,
        }
        for u in User.objects.filter(vendor=vendor, kind="staff").order_by("pk")
    ]
    profile["teams"] = [
        {
            "name": t.name,
            "email": t.email,
            "lead": t.lead.username if t.lead_id else None,
            "members": sorted(m.username for m in t.members.all()),
        }
        for t in vendor.teams.order_by("pk").select_related("lead").prefetch_related("members")
    ]
    profile["mailboxes"] = [_mailbox(m) for m in vendor.mailboxes.order_by("pk")]
    macros = vendor.macros.order_by("pk").select_related("team", "set_assignee")
    profile["macros"] = [_macro(m) for m in macros]
    return profile


def _macro(m) -> dict:
    return {
        "name": m.name,
        "team": m.team.name if m.team_id else None,
        **{
            f: getattr(m, f)
            for f in (
                "body_cs",
                "body_sk",
                "body_en",
                "set_state",
                "set_impact",
                "set_urgency",
                "set_type",
                "set_scope",
            )
        },
        "set_assignee": m.set_assignee.username if m.set_assignee_id else None,
        "assign_to_actor": m.assign_to_actor,
        "is_active": m.is_active,
    }


def _plan(p) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "kind": p.kind,
        "description": p.description,
        "sla_policy": p.sla_policy.name if p.sla_policy_id else None,
        **{
            f: list(getattr(p, f))
            for f in (
                "channels",
                "billable_channels",
                "covered_types",
                "excluded_scopes",
                "billable_scopes",
                "languages",
            )
        },
        **{
            f: getattr(p, f)
            for f in (
                "require_supported_version",
                "require_identification",
                "require_version_stated",
                "serves_end_users",
                "billing_mode",
                "hourly_rate",
                "duration_months",
                "free_call_minutes",
                "free_call_period",
            )
        },
    }


def _product(product) -> dict:
    versions = product.versions.order_by("pk").prefetch_related("releases__files__blob")
    return {
        "code": product.code,
        "name": product.name,
        "versions": [
            {
                "name": v.name,
                "released_on": v.released_on.isoformat() if v.released_on else None,
                "supported_until": v.supported_until.isoformat() if v.supported_until else None,
                "releases": [
                    {
                        "published_at": _instant(r.published_at),
                        "official": r.official,
                        "notes": r.notes,
                        "files": [_file(f) for f in sorted(r.files.all(), key=lambda f: f.pk)],
                    }
                    for r in sorted(v.releases.all(), key=lambda r: r.pk)
                    if r.published_at is not None
                ],
            }
            for v in versions
        ],
    }


def _instant(moment) -> str:
    return timezone.localtime(moment).isoformat()


def _file(f) -> dict:
    text = None
    if f.blob.size <= TEXT_LIMIT:
        try:
            text = storage.blob_path(f.blob.sha256).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
    if text is not None:
        return {"filename": f.filename, "text": text}
    return {"filename": f.filename, "sha256": f.blob.sha256}


def _mailbox(m) -> dict:
    return {
        "name": m.name,
        "address": m.address,
        **{
            f: getattr(m, f)
            for f in (
                "imap_host",
                "imap_port",
                "imap_user",
                "imap_folder",
                "imap_security",
                "processed_folder",
                "processed_flag",
            )
        },
        "team": m.team.name if m.team_id else None,
        "product": m.product.code if m.product_id else None,
        "unknown_sender_policy": m.unknown_sender_policy,
        "foreign_reply_policy": m.foreign_reply_policy,
        "is_active": m.is_active,
    }
