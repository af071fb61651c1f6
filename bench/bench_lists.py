"""Benchmark: the lists people open most, over data from `podpora generate`.

Prints figures, never fails on time. N from BENCH_TICKETS (default 100,000), generated into a
fresh SQLite database in a temporary directory, unless DATABASE_URL is set (then that database,
generated into when it holds no tickets) or BENCH_DATA_DIR names a data folder generated before
(`PODPORA_DATA_DIR=DIR podpora migrate && PODPORA_DATA_DIR=DIR podpora generate --tickets N`).

Served in process by Django's test client (no network, no server), as the agent of the first
vendor and one of its customers: the console's default overview, an organisation filter, a
ticket's page (and the one with the most messages), the portal list, and the API list (first page, a page by cursor deep in the
list). For each: p50 and p95 over BENCH_RUNS requests (default 30) and SQL queries per page.
A JSON line with the same figures ends the output (BENCH_OUT=FILE writes it to a file too).
"""

import json
import os
import statistics
import sys
import tempfile
import time

N = int(os.environ.get("BENCH_TICKETS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
if os.environ.get("BENCH_DATA_DIR"):
    os.environ["PODPORA_DATA_DIR"] = os.environ["BENCH_DATA_DIR"]
os.environ.setdefault("PODPORA_DATA_DIR", tempfile.mkdtemp(prefix="podpora-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podpora.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from podpora.accounts.models import User  # noqa: E402
from podpora.accounts.services import create_api_token  # noqa: E402
from podpora.tickets.models import Ticket  # noqa: E402


def prepare() -> int:
    call_command("migrate", verbosity=0)
    have = Ticket.objects.count()
    if have == 0:
        t0 = time.perf_counter()
        call_command("generate", tickets=N)
        print(f"generated {N:,} tickets in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        have = N
    return have


def measure(client: Client, url: str, headers=None) -> dict:
    headers = headers or {}
    client.get(url, **headers)  # warm the caches, as a running server has them
    times, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            r = client.get(url, **headers)
            times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code)
        queries = len(captured.captured_queries)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "queries": queries,
    }


def main() -> None:
    total = prepare()
    agent = User.objects.filter(kind="staff", vendor__isnull=False).order_by("pk").first()
    vendor = agent.vendor
    staff = Client()
    staff.force_login(agent)
    biggest = (
        Ticket.objects.filter(vendor=vendor)
        .values("organization")
        .order_by("organization")
        .first()["organization"]
    )
    ticket = Ticket.objects.filter(vendor=vendor).order_by("-created_at")[total // 7]
    customer = User.objects.filter(kind="customer", contact__organization__vendor=vendor).first()
    portal = Client()
    portal.force_login(customer)
    api = {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(agent)}"}
    deep = Ticket.objects.filter(vendor=vendor).order_by("-created_at", "-id")[total // 2]
    from podpora.core.paging import encode_cursor

    cursor = encode_cursor(deep.created_at, deep.pk)
    from django.db.models import Count

    from podpora.tickets.models import Article

    longest = (
        Article.objects.filter(ticket__vendor=vendor)
        .values("ticket__number")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    cases = [
        ("console overview (open, newest first)", staff, "/desk/", None),
        ("console overview, page 5", staff, "/desk/?page=5", None),
        ("console organisation filter", staff, f"/desk/?organization={biggest}", None),
        ("console all closed", staff, "/desk/?state=closed", None),
        ("console ticket page", staff, reverse("desk:detail", args=[ticket.number]), None),
        (
            f"console ticket page, longest ({longest['n']} messages)",
            staff,
            reverse("desk:detail", args=[longest["ticket__number"]]),
            None,
        ),
        ("portal list (customer admin)", portal, "/portal/", None),
        ("API list, first page", Client(), "/api/v1/tickets", api),
        ("API list, cursor half way", Client(), f"/api/v1/tickets?cursor={cursor}", api),
        ("API list, organisation", Client(), f"/api/v1/tickets?organization={biggest}", api),
    ]
    results = {}
    db = connection.vendor
    print(f"\n{total:,} tickets on {db}, {RUNS} requests each".replace(",", " "))
    print(f"{'page':44} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, client, url, headers in cases:
        figures = measure(client, url, headers)
        results[name] = figures
        print(f"{name:44} {figures['p50_ms']:8.1f} {figures['p95_ms']:8.1f} {figures['queries']:8}")
    line = json.dumps({"bench": "lists", "database": db, "tickets": total, "results": results})
    print(line)
    if os.environ.get("BENCH_OUT"):
        with open(os.environ["BENCH_OUT"], "a") as out:
            out.write(line + "\n")


if __name__ == "__main__":
    main()
