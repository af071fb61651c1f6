"""Benchmark: recompute the due instants of N open tickets after a calendar change.

Prints figures, never fails on time. N from BENCH_TICKETS (default 1,000,000). Uses a fresh
SQLite database in a temporary directory unless DATABASE_URL is set (then that database).
"""

import datetime as dt
import os
import sys
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

from podpora.customers.models import Contract, Organization, Plan, Vendor  # noqa: E402
from podpora.sla.models import BusinessCalendar, SlaPolicy, SlaTarget  # noqa: E402
from podpora.sla.recompute import recompute_for_calendar  # noqa: E402
from podpora.tickets.models import Ticket  # noqa: E402

HOURS = {
    "mon": [["08:30", "17:00"]],
    "tue": [["08:30", "17:00"]],
    "wed": [["08:30", "18:00"]],
    "thu": [["08:30", "17:00"]],
    "fri": [["10:00", "16:30"]],
    "sat": [],
    "sun": [],
}


def main() -> None:
    call_command("migrate", verbosity=0)
    vendor = Vendor.objects.create(
        slug=f"bench{os.getpid()}", name="Bench", ticket_prefix=f"B{os.getpid() % 10000}"
    )
    cal = BusinessCalendar.objects.create(
        vendor=vendor, name="Harmonik", week=HOURS, holiday_countries=["CZ"]
    )
    policy = SlaPolicy.objects.create(vendor=vendor, name="P", calendar=cal)
    for prio, first, res in [
        (1, "1h", "8h"),
        (2, "4h", "2wd"),
        (3, "1wd", "3wd"),
        (4, "2wd", "10wd"),
        (5, "2wd", "7d"),
    ]:
        SlaTarget.objects.create(policy=policy, priority=prio, first_response=first, resolution=res)
    plan = Plan.objects.create(
        vendor=vendor, code="p", name="P", kind="maintenance", sla_policy=policy
    )
    org = Organization.objects.create(vendor=vendor, name="Org")
    contract = Contract.objects.create(organization=org, plan=plan, valid_from=dt.date(2020, 1, 1))
    zone = ZoneInfo("Europe/Prague")
    base = dt.datetime(2026, 1, 1, tzinfo=zone)

    def rows():
        for i in range(N):
            created = base + dt.timedelta(minutes=(i * 37) % (365 * 24 * 60))
            yield Ticket(
                vendor=vendor,
                number=f"B-{i:07d}",
                subject="x",
                channel="email",
                state="open",
                priority=1 + i % 5,
                organization=org,
                contract=contract,
                plan=plan,
                sla_policy=policy,
                created_at=created,
                updated_at=created,
            )

    bulk.insert(Ticket, rows(), N)

    cal.holiday_dates = ["2026-07-01", "2026-07-02"]
    cal.save()
    t0 = time.perf_counter()
    count = recompute_for_calendar(
        cal.pk,
        progress=lambda n: print(f"\rrecomputed {n:,}/{N:,}", end="", file=sys.stderr, flush=True),
    )
    elapsed = time.perf_counter() - t0
    engine = django.db.connection.vendor
    print(
        f"\nsla recompute ({engine}): {count:,} open tickets in {elapsed:.1f} s ({count / elapsed:,.0f} tickets/s)"
    )
    sample = Ticket.objects.order_by("pk").values_list(
        "first_response_due", "resolution_due", "sla_next_check"
    )[:1]
    print(f"first ticket after recompute: {list(sample)[0]}")


if __name__ == "__main__":
    main()
