"""Snapshots of configuration rows as JSON and the change records made of them.

A snapshot holds each editable field's value (a related row as its name, so the record still
reads after the row is gone) and, for the rows edited on the same page (a policy's targets, a
product's versions), a list of their snapshots. Secrets are never stored, only whether they
changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from .models import ChangeRecord

#: fields never written into a record (a secret's value); their change is recorded as "***"
SECRET = "***"
SKIPPED = {"password", "search_text", "activation_code_hash", "key_hash"}
SECRETS = {"imap_password"}


def _value(field, obj):
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(str(o) for o in getattr(obj, field.name).all())
    if field.is_relation:
        related = getattr(obj, field.name)
        return str(related) if related is not None else None
    value = getattr(obj, field.attname)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def fields_of(model) -> list:
    return [
        f
        for f in model._meta.get_fields()
        if (f.concrete or f.many_to_many)
        and not f.auto_created
        and f.editable
        and f.name not in SKIPPED
        and not (f.is_relation and f.related_model is not None and f.name == "vendor")
    ]


def snapshot(obj, children=()) -> dict:
    """``children``: (key, model, foreign key name) of the rows edited with ``obj``."""
    data = {}
    for field in fields_of(type(obj)):
        value = _value(field, obj)
        data[field.name] = SECRET if field.name in SECRETS and value else value
    for key, model, fk in children:
        rows = model._default_manager.filter(**{fk: obj.pk}).order_by("pk") if obj.pk else []
        data[key] = [
            {"id": row.pk, **{k: v for k, v in snapshot(row).items() if k != fk}} for row in rows
        ]
    return data


def record(user, vendor_id, obj, action: str, before: dict | None, after: dict | None):
    """One record, unless a change changed nothing."""
    if action == ChangeRecord.Action.CHANGE and before == after:
        return None
    return ChangeRecord.objects.create(
        vendor_id=vendor_id,
        user=user if user is not None and user.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(type(obj), for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        before=before,
        after=after,
    )


def _field(model, name: str):
    """(the model's own field or None, the model of the rows edited with it or None)."""
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None, None
    if field.auto_created and not field.concrete:  # a reverse relation: the child rows
        return None, field.related_model
    return field, None


def _label(model, name: str) -> str:
    field, children = _field(model, name)
    if children is not None:
        return str(children._meta.verbose_name_plural)
    return str(getattr(field, "verbose_name", name))


def _render(model, name: str, value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    field, related = _field(model, name)
    if isinstance(value, bool):
        return _("ano") if value else _("ne")
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "; ".join(
            ", ".join(
                f"{_label(related, k) if related else k}: {_render(related, k, v) if related else v}"
                for k, v in row.items()
                if k != "id"
            )
            for row in value
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(field, models.DateField):  # DateTimeField too
        from podpora.tickets.history import when

        return when(value)
    return str(value)


def rows(record: ChangeRecord) -> list[tuple[str, str, str]]:
    """(field, before, after) in the reader's language; for a change only what changed."""
    model = record.content_type.model_class()
    before, after = record.before or {}, record.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    out = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        if record.action == ChangeRecord.Action.CHANGE and old == new:
            continue
        if model is None:
            out.append((key, str(old), str(new)))
            continue
        out.append(
            (
                _label(model, key),
                _render(model, key, old) if record.before is not None else "",
                _render(model, key, new) if record.after is not None else "",
            )
        )
    return out
