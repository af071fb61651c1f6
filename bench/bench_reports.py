"""Benchmark: the support manager's report over N tickets spread across a year.

Prints figures, never fails on time. N from BENCH_TICKETS (default 1,000,000). Uses a fresh
SQLite database in a temporary directory unless DATABASE_URL is set (then that database).
Times a month's and a year's report (every block), and the queries each costs.
"""

import datetime as dt
import os
import tempfile
import time
from zoneinfo import ZoneInfo

N = int(os.environ.get("BENCH_TICKETS", "1000000"))
tmp = tempfile.mkdtemp(prefix="podpora-bench-")
os.environ.setdefault("PODPORA_DATA_DIR", tmp)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podpora.settings")

import django  # noqa: E402

import bulk  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from podpora.accounts.models import User  # noqa: E402
from podpora.customers.models import Organization, Vendor  # noqa: E402
from podpora.desk import reports  # noqa: E402
from podpora.tickets.models import Ticket  # noqa: E402

ZONE = ZoneInfo("Europe/Prague")
STATES = ["new", "open", "waiting_customer", "resolved", "closed", "closed", "closed"]


def make(vendor, orgs, agents) -> None:
    base = dt.datetime(2026, 1, 1, tzinfo=ZONE)

    def rows():
        for i in range(N):
            created = base + dt.timedelta(minutes=(i * 37) % (365 * 24 * 60))
            state = STATES[i % len(STATES)]
            due = created + dt.timedelta(hours=4 + i % 40)
            done = state in ("resolved", "closed")
            answered = created + dt.timedelta(hours=1 + i % 9)
            yield Ticket(
                vendor=vendor,
                number=f"R-{i:07d}",
                subject="x",
                channel=["email", "portal", "phone", "webform"][i % 4],
                state=state,
                priority=1 + i % 5,
                organization=orgs[i % len(orgs)],
                assignee=agents[i % len(agents)] if i % 3 else None,
                first_response_due=created + dt.timedelta(hours=4),
                first_responded_at=answered if i % 11 else None,
                resolution_due=due,
                resolved_at=created + dt.timedelta(hours=2 + i % 60) if done else None,
                sla_breached=i % 13 == 0,
                created_at=created,
                updated_at=created,
            )

    bulk.insert(Ticket, rows(), N)


def timed(vendor, period, runs=3):
    best = None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            data = reports.report(vendor, period, now=dt.datetime(2026, 12, 31, tzinfo=ZONE))
            elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best, len(queries.captured_queries), data


def main() -> None:
    call_command("migrate", verbosity=0)
    pid = os.getpid()
    vendor = Vendor.objects.create(slug=f"rep{pid}", name="Bench", ticket_prefix=f"R{pid % 9999}")
    orgs = [Organization.objects.create(vendor=vendor, name=f"Org {n}") for n in range(200)]
    agents = [
        User.objects.create(username=f"rep{pid}-{n}", kind="staff", vendor=vendor)
        for n in range(20)
    ]
    make(vendor, orgs, agents)
    connection.force_debug_cursor = True
    engine = connection.vendor
    for label, period in [
        ("a month", reports.Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
        ("a year", reports.Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
    ]:
        best, queries, data = timed(vendor, period)
        tickets = data["sla_total"].get("tickets", 0)
        print(
            f"report ({engine}, {N:,} tickets), {label}: {tickets:,} tickets in the period, "
            f"best of 3 {best * 1000:.0f} ms, {queries} queries"
        )


if __name__ == "__main__":
    main()
