"""Bulk recomputation of due instants after a calendar or policy change.

A million open tickets must be recomputed in well under a minute, so this path avoids model
instances: it reads plain rows in primary-key batches, computes with the compiled calendar's
epoch arithmetic, and writes with one executemany per batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction

from podpora.tickets.models import Ticket
from podpora.tickets.rules import OPEN_STATES

from . import clock
from .models import SlaPolicy
from .services import RELEASE, calendar_of

UTC = dt.UTC


def _target(spec: str):
    if not spec or spec == RELEASE:
        return None
    return clock.parse_target(spec)


class _Computer:
    """Due instants in epoch seconds for one compiled calendar."""

    def __init__(self, policy: SlaPolicy, ticket=None):
        """``ticket`` (or any object with ``vendor_id`` and ``channel``): the calendar of
        that channel where the vendor set one, as the SLA services use it."""
        self.calendar = calendar_of(policy, ticket)
        self.compiled = clock.compile_calendar(self.calendar)
        self.zone = self.compiled.zone
        self.warn_percent = policy.warn_percent

    def due(self, start: int, target, paused: int = 0) -> int | None:
        if target is None:
            return None
        seconds = target.business_seconds
        if seconds is not None:
            return self.compiled.due_epoch(start, seconds + paused)
        if target.unit is clock.Unit.WORKING_DAYS:
            base = self.compiled.due_working_days_epoch(start, target.amount)
            return self.compiled.due_epoch(base, paused) if paused else base
        wall = dt.datetime.fromtimestamp(start, self.zone).replace(tzinfo=None) + dt.timedelta(
            days=target.amount
        )
        return int(clock.resolve(wall, self.zone).timestamp()) + paused

    def warn(self, start: int, due: int, target, paused: int) -> int:
        if target.unit is clock.Unit.CALENDAR_DAYS:
            return start + (due - start - paused) * self.warn_percent // 100
        total = self.compiled.elapsed_epoch(start, due) - paused
        return self.compiled.due_epoch(start, paused + total * self.warn_percent // 100)


def recompute_for_calendar(
    calendar_id: int, *, batch: int = 20000, progress: Callable[[int], None] | None = None
) -> int:
    """Recompute every open ticket whose SLA policy uses this calendar; returns the count."""
    done = 0
    for policy in SlaPolicy.objects.filter(calendar_id=calendar_id).prefetch_related("targets"):
        done += recompute_for_policy(policy, batch=batch, progress=progress, done=done)
    return done


def recompute_for_policy(
    policy: SlaPolicy, *, batch: int = 20000, progress=None, done: int = 0
) -> int:
    computer = _Computer(policy)
    targets = {
        (t.priority, t.ticket_type): (
            t.first_response,
            t.resolution,
            _target(t.first_response),
            _target(t.resolution),
        )
        for t in policy.targets.all()
    }
    table = Ticket._meta.db_table
    sql = (
        f"UPDATE {table} SET first_response_target = %s, resolution_target = %s, first_response_due = %s, "
        f"resolution_due = %s, sla_next_check = %s WHERE id = %s"
    )
    adapt = connection.ops.adapt_datetimefield_value
    last_pk, count = 0, 0
    open_states = [s.value for s in OPEN_STATES]
    while True:
        rows = list(
            Ticket.objects.filter(sla_policy=policy, state__in=open_states, pk__gt=last_pk)
            .order_by("pk")
            .values_list(
                "pk",
                "created_at",
                "priority",
                "type",
                "sla_paused_seconds",
                "sla_paused_at",
                "first_responded_at",
                "sla_warned_at",
                "sla_breached",
                "resolution_due",
            )[:batch]
        )
        if not rows:
            return count
        params = []
        for (
            pk,
            created,
            prio,
            kind,
            paused,
            paused_at,
            responded,
            warned,
            breached,
            old_res,
        ) in rows:
            first_spec, res_spec, first_t, res_t = targets.get((prio, kind)) or targets.get(
                (prio, ""), ("", "", None, None)
            )
            start = int(created.timestamp())
            first_due = computer.due(start, first_t)
            res_due = computer.due(start, res_t, paused) if res_spec != RELEASE else None
            checks = []
            if responded is None and first_due is not None:
                checks.append((first_due, first_t, 0))
            if paused_at is None and res_due is not None:
                checks.append((res_due, res_t, paused))
            nxt = []
            for due_at, target, p in checks:
                if warned is None:
                    nxt.append(computer.warn(start, due_at, target, p))
                if not breached:
                    nxt.append(due_at)
            params.append(
                (
                    first_spec,
                    res_spec,
                    _dt(adapt, first_due),
                    adapt(old_res) if res_spec == RELEASE else _dt(adapt, res_due),
                    _dt(adapt, min(nxt)) if nxt else None,
                    pk,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, params)
        count += len(rows)
        last_pk = rows[-1][0]
        if progress:
            progress(done + count)


def _dt(adapt, epoch: int | None):
    if epoch is None:
        return None
    return adapt(dt.datetime.fromtimestamp(epoch, UTC))
