"""Benchmark: the cost of one ticket created through the API, in process (no server).

Prints figures, never fails on time. Generates BENCH_TICKETS (default 2,000) tickets into a
fresh SQLite database in a temporary directory (unless DATABASE_URL is set), then creates
BENCH_RUNS (default 50) tickets by `POST /api/v1/tickets` through Django's test client and
prints the time per creation (p50/p95), the SQL queries of one creation and the functions
that cost most (cProfile). What one web process can do at best is 1000 / p50 per second.
"""

import cProfile
import io
import json
import os
import pstats
import statistics
import tempfile
import time

N = int(os.environ.get("BENCH_TICKETS", "2000"))
RUNS = int(os.environ.get("BENCH_RUNS", "50"))
tmp = tempfile.mkdtemp(prefix="podpora-bench-")
os.environ.setdefault("PODPORA_DATA_DIR", tmp)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podpora.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from podpora.accounts.models import User  # noqa: E402
from podpora.accounts.services import create_api_token  # noqa: E402
from podpora.customers.models import Organization  # noqa: E402

call_command("migrate", verbosity=0)
call_command("generate", "--tickets", str(N), verbosity=0)
agent = User.objects.filter(kind="staff", vendor__isnull=False, role="agent").first()
token = create_api_token(agent)
org = Organization.objects.filter(vendor=agent.vendor).exclude(ico="").first()
body = json.dumps(
    {
        "subject": "Nejde tisk faktur",
        "body": "Při tisku faktury se objeví chyba 0x13.",
        "organization": org.ico,
    }
)
headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
client = Client()


def create():
    response = client.post("/api/v1/tickets", body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content[:300]


t0 = time.perf_counter()
create()
first_ms = (time.perf_counter() - t0) * 1000
captured = []


def count(execute, sql, params, many, context):
    captured.append(sql)
    return execute(sql, params, many, context)


with connection.execute_wrapper(count):
    create()
times = []
profile = cProfile.Profile()
for _i in range(RUNS):
    t0 = time.perf_counter()
    profile.enable()
    create()
    profile.disable()
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
p50 = statistics.median(times)
p95 = times[int(0.95 * (len(times) - 1))]
print(f"API creation, {connection.vendor}, {N} tickets, {RUNS} runs (test client, in process)")
print(f"  first request {first_ms:.0f} ms (loading)")
print(f"  per creation p50 {p50:.1f} ms, p95 {p95:.1f} ms, {len(captured)} queries")
print(f"  at best {1000 / p50:.0f} creations per second per web process")
out = io.StringIO()
pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(12)
print("  costliest functions (own time):")
print("\n".join("    " + line for line in out.getvalue().splitlines()[-16:] if line.strip()))
