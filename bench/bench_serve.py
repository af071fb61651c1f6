"""Benchmark: Podpora served by the production server (`podpora serve`, 2 web processes) over
a generated vendor, as people and programs use it over HTTP.

N from BENCH_TICKETS (default 100,000; 1,000,000 takes about 25 minutes to generate on
SQLite on a 2-core machine). The data: a fresh SQLite database in a temporary folder (or
BENCH_DATA_DIR, generated into when it holds no tickets and kept), or, with DATABASE_URL set,
that PostgreSQL database (generated into when it holds no tickets).

Measured, p50/p95 over BENCH_RUNS requests (default 40) on one keep-alive-free connection each:
the console's default overview, an organisation filter, a ticket page, search with a common
and a rare word (the console's queue search and the search page); API creation with 1 and 16
clients (tickets a second); e-mail intake (messages a second, in process, into the same
database); SQL queries per page (in process, Django's test client); peak resident memory of
each web process (VmHWM). The load average is recorded with the figures: the machine is
shared. Writes bench/results.json (BENCH_RESULTS=FILE elsewhere); never fails on time.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
N = int(os.environ.get("BENCH_TICKETS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
WORKERS = 2
if os.environ.get("BENCH_DATA_DIR"):
    os.environ["PODPORA_DATA_DIR"] = os.environ["BENCH_DATA_DIR"]
os.environ.setdefault("PODPORA_DATA_DIR", tempfile.mkdtemp(prefix="podpora-bench-serve-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podpora.settings")
os.environ.setdefault("PODPORA_LOG_LEVEL", "WARNING")
sys.path.insert(0, str(HERE))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PODPORA = str(Path(sys.executable).with_name("podpora"))
COMMON, RARE = "faktura", "kontrolní hlášení"


def prepare() -> tuple[int, float | None]:
    from podpora.tickets.models import Ticket

    call_command("migrate", verbosity=0)
    if Ticket.objects.exists():
        return Ticket.objects.count(), None
    t0 = time.perf_counter()
    subprocess.run([PODPORA, "generate", "--tickets", str(N)], check=True)
    return N, time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self):
        self.port = free_port()
        env = {**os.environ, "PODPORA_REQUEST_LOG": "0", "PODPORA_ALLOWED_HOSTS": "127.0.0.1"}
        self.proc = subprocess.Popen(
            [
                PODPORA,
                "serve",
                "--addr",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--no-migrate",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("podpora serve did not answer /healthz in 120 s")

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, data, r

    def get(self, path, cookie=""):
        return self.request("GET", path, headers={"Cookie": cookie} if cookie else {})

    def web_rss_mb(self) -> list[float]:
        """Peak resident memory (VmHWM) of each web process (gunicorn's workers: the children
        of the gunicorn master that ``serve`` started), MB."""
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        out = []
        for master in children.get(self.proc.pid, []):
            if b"gunicorn" not in _cmdline(master):
                continue
            for worker in children.get(master, []):
                m = re.search(r"VmHWM:\s+(\d+)", Path(f"/proc/{worker}/status").read_text())
                if m:
                    out.append(round(int(m.group(1)) / 1024, 1))
        return sorted(out)

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def session_cookie(user) -> str:
    """A logged-in session for ``user`` (the session table is shared with the server)."""
    client = Client()
    client.force_login(user)
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def percentile(values, q):
    values = sorted(values)
    return values[max(0, min(len(values) - 1, int(round(q * len(values))) - 1))]


def timed(server, path, cookie, runs=RUNS):
    server.get(path, cookie)  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        status, _body, _r = server.get(path, cookie)
        times.append((time.perf_counter() - t0) * 1000)
        assert status == 200, (path, status)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
    }


def queries_of(user, path) -> int:
    client = Client()
    client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def api_creation(server, token, organization, clients, seconds=10.0) -> float:
    body = json.dumps(
        {
            "subject": "Nejde tisk faktur",
            "body": "Při tisku faktury se objeví chyba 0x13.",
            "organization": organization,
        }
    ).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    done, errors = [0], []
    stop = time.perf_counter() + seconds

    def client():
        while time.perf_counter() < stop:
            status, data, _ = server.request("POST", "/api/v1/tickets", body, headers)
            if status != 201:
                errors.append((status, data[:200]))
                return
            done[0] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  API errors: {errors[:2]}", file=sys.stderr)
    return round(done[0] / (time.perf_counter() - t0), 1)


def email_intake(vendor, n=100) -> float:
    """Messages a second through ``ingest.receive`` + ``ingest.process`` into this database."""
    from mailgen import MAILBOX, message
    from podpora.customers.models import Contact
    from podpora.mail import ingest
    from podpora.mail.models import Mailbox

    mailbox = Mailbox.objects.filter(vendor=vendor, address=MAILBOX).first()
    if mailbox is None:
        mailbox = Mailbox.objects.create(vendor=vendor, name="Bench", address=MAILBOX)
    addresses = list(
        Contact.objects.filter(organization__vendor=vendor)
        .exclude(email="")
        .values_list("email", flat=True)[:200]
    )
    rng = random.Random(7)
    messages = [message(rng, addresses, [], 900_000 + i) for i in range(n)]
    ingest.process(ingest.receive(messages[0], mailbox))  # warm
    t0 = time.perf_counter()
    for raw in messages[1:]:
        ingest.process(ingest.receive(raw, mailbox))
    return round((n - 1) / (time.perf_counter() - t0), 1)


def main() -> None:
    from podpora.accounts.models import User
    from podpora.accounts.services import create_api_token
    from podpora.tickets.models import Ticket

    total, generated = prepare()
    agent = (
        User.objects.filter(username="hrplus-agent").first()
        or User.objects.filter(kind="staff", vendor__isnull=False).order_by("pk").first()
    )
    vendor = agent.vendor
    org = (
        Ticket.objects.filter(vendor=vendor)
        .values_list("organization", flat=True)
        .order_by("organization")
        .first()
    )
    from podpora.customers.models import Organization

    org_ico = Organization.objects.get(pk=org).ico or str(org)
    ticket = Ticket.objects.filter(vendor=vendor).order_by("-created_at")[total // 7]
    pages = {
        "overview": "/desk/",
        "organisation filter": f"/desk/?organization={org}",
        "ticket page": f"/desk/tickets/{ticket.number}/",
        "search, common word (queue)": "/desk/?q=" + urllib.parse.quote(COMMON),
        "search, rare word (queue)": "/desk/?q=" + urllib.parse.quote(RARE),
        "search page, common word": "/desk/search/?q=" + urllib.parse.quote(COMMON),
        "search page, rare word": "/desk/search/?q=" + urllib.parse.quote(RARE),
    }
    cookie = session_cookie(agent)
    token = create_api_token(agent)
    db = connection.vendor
    results = {
        "database": db,
        "tickets": total,
        "web_processes": WORKERS,
        "generate_seconds": round(generated) if generated else None,
        "load_average_start": os.getloadavg(),
        "pages": {},
    }
    connection.close()
    server = Server()
    try:
        for name, path in pages.items():
            figures = timed(server, path, cookie)
            figures["queries"] = queries_of(agent, path)
            results["pages"][name] = figures
            print(
                f"{name:32} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms"
                f"  {figures['queries']} queries",
                flush=True,
            )
        connection.close()
        results["web_process_peak_rss_mb_pages"] = server.web_rss_mb()
        for clients in (1, 16):
            rate = api_creation(server, token, org_ico, clients)
            results[f"api_create_{clients}_clients_per_s"] = rate
            print(f"API creation, {clients:2} clients: {rate:.1f} tickets/s", flush=True)
        results["web_process_peak_rss_mb"] = server.web_rss_mb()
        print(f"web processes' peak RSS: {results['web_process_peak_rss_mb']} MB")
    finally:
        server.stop()
    results["email_intake_per_s"] = email_intake(vendor)
    print(f"e-mail intake: {results['email_intake_per_s']} messages/s")
    results["load_average_end"] = os.getloadavg()
    out = Path(os.environ.get("BENCH_RESULTS", HERE / "results.json"))
    runs = json.loads(out.read_text()) if out.exists() else {}
    runs[f"{db}-{total}"] = results
    out.write_text(json.dumps(runs, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
