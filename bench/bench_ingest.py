"""Inbound e-mail throughput: messages per second from raw bytes to tickets.

Run: ``.venv/bin/python bench/bench_ingest.py [--n 500] [--imap-n 200] [--lmtp-n 200]
[--mbox-n 500] [--pipe-n 20]``.
Prints figures; never fails on time (benchmarks are not tests).

- *in-process*: ``ingest.receive`` + ``ingest.process``, the path ``podpora ingest-email``
  takes after start-up, for N realistic messages (new tickets from known contacts in UTF-8
  and windows-1250 with attachments and HTML, replies by subject tag, unknown senders,
  out-of-office answers), each in its own transactions as in production;
- *IMAP*: the poller against a throw-away Dovecot over TLS (skipped without Dovecot/root);
- *parallel*: the in-process work split over ``--workers`` processes;
- *LMTP*: ``podpora lmtp``'s listener over TCP, until every message is processed;
- *mbox*: ``podpora ingest-email --mbox`` over an mbox file of N messages, one process
  (start-up included), in batches;
- *pipe*: ``podpora ingest-email`` as a subprocess per message (start-up included).

Uses its own database: a fresh SQLite file in a temporary ``PODPORA_DATA_DIR``, or, when
``DATABASE_URL`` is set, a throw-away ``test_*`` PostgreSQL database (created and dropped).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="podpora-bench-ingest-"))
os.environ["PODPORA_DATA_DIR"] = str(TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podpora.settings")
os.environ.setdefault("PODPORA_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from mailgen import MAILBOX, message  # noqa: E402


def setup_database() -> str:
    if os.environ.get("DATABASE_URL"):
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        return f"PostgreSQL ({connection.settings_dict['NAME']})"
    call_command("migrate", verbosity=0)
    return "SQLite (file, WAL)"


def teardown_database(original_name: str) -> None:
    if os.environ.get("DATABASE_URL"):
        connection.creation.destroy_test_db(original_name, verbosity=0)


def seed(contacts: int = 50):
    import datetime as dt

    from podpora.accounts.models import Team
    from podpora.catalog.models import Product
    from podpora.customers.models import Contact, Contract, Organization, Plan, Vendor
    from podpora.mail.models import Mailbox
    from podpora.sla.models import BusinessCalendar, SlaPolicy, SlaTarget

    vendor = Vendor.objects.create(slug="bench", name="Bench s.r.o.", ticket_prefix="BE")
    week = {d: [["08:00", "16:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    calendar = BusinessCalendar.objects.create(
        vendor=vendor, name="CZ", week=week | {"sat": [], "sun": []}, holiday_countries=["CZ"]
    )
    policy = SlaPolicy.objects.create(vendor=vendor, name="Standard", calendar=calendar)
    for prio, first, res in [
        (1, "1h", "8h"),
        (2, "2h", "2wd"),
        (3, "4h", "3wd"),
        (4, "1wd", "10wd"),
    ]:
        SlaTarget.objects.create(policy=policy, priority=prio, first_response=first, resolution=res)
    plan = Plan.objects.create(
        vendor=vendor,
        code="maint",
        name="Údržba",
        kind="maintenance",
        channels=["portal", "email", "phone"],
        sla_policy=policy,
    )
    product = Product.objects.create(vendor=vendor, code="erp", name="ERP")
    team = Team.objects.create(vendor=vendor, name="Hotline")
    addresses = []
    for o in range(5):
        org = Organization.objects.create(vendor=vendor, name=f"Zákazník {o}")
        Contract.objects.create(organization=org, plan=plan, valid_from=dt.date(2020, 1, 1))
        for c in range(contacts // 5):
            email = f"kontakt{o}-{c}@zakaznik{o}.example"
            Contact.objects.create(
                organization=org, first_name="Jana", last_name="Nová", email=email
            )
            addresses.append(email)
    mailbox = Mailbox.objects.create(
        vendor=vendor, name="Podpora", address=MAILBOX, team=team, product=product
    )
    return mailbox, addresses


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def database_cpu_seconds() -> float:
    """CPU time of this connection's PostgreSQL backend (a local server), 0 for SQLite (whose
    work is in this process's own CPU time)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_note(n: int, cpu: float, db_cpu: float) -> str:
    """Messages per CPU second: what one core does, whatever else the machine is doing."""
    note = f"{n / cpu:.0f} msg per CPU second of this process"
    if db_cpu:
        note += f", {n / (cpu + db_cpu):.0f} counting the database server's ({db_cpu:.2f} s)"
    return note


def bench_in_process(mailbox, messages: list[bytes]) -> None:
    from podpora.mail import ingest
    from podpora.tickets.models import Ticket

    receive_times, total_times = [], []
    states: dict[str, int] = {}
    cpu0, db0 = time.process_time(), database_cpu_seconds()
    started = time.perf_counter()
    for raw in messages:
        t0 = time.perf_counter()
        inbound = ingest.receive(raw, mailbox)
        t1 = time.perf_counter()
        inbound = ingest.process(inbound)
        t2 = time.perf_counter()
        receive_times.append(t1 - t0)
        total_times.append(t2 - t0)
        states[str(inbound.state)] = states.get(str(inbound.state), 0) + 1
    elapsed = time.perf_counter() - started
    cpu, db_cpu = time.process_time() - cpu0, database_cpu_seconds() - db0
    n = len(messages)
    print(
        f"in-process receive+process: {n} messages in {elapsed:.2f} s = {n / elapsed:.0f} msg/s"
        f" (per message p50 {statistics.median(total_times) * 1000:.1f} ms,"
        f" p95 {pct(total_times, 0.95) * 1000:.1f} ms; receive alone p50"
        f" {statistics.median(receive_times) * 1000:.1f} ms)"
    )
    print(f"  {cpu_note(n, cpu, db_cpu)}")
    print(f"  outcome: {states}; tickets now {Ticket.objects.count()}")
    t0 = time.perf_counter()
    again = [ingest.receive(raw, mailbox) for raw in messages[:100]]
    dt = time.perf_counter() - t0
    assert all(not r.is_new for r in again)
    print(f"  duplicate deliveries (no-op): {len(again) / dt:.0f} msg/s")


def bench_batches(mailbox, messages: list[bytes], size: int = 50) -> None:
    """What the IMAP poller does once it has the bytes: receive a batch in one flushed
    transaction, then process_batch (25 to a transaction, look-ups once per batch)."""
    from podpora.mail import ingest

    states: dict[str, int] = {}
    cpu0, db0 = time.process_time(), database_cpu_seconds()
    started = time.perf_counter()
    received = 0.0
    for start in range(0, len(messages), size):
        t0 = time.perf_counter()
        with ingest.receiving_batch():
            rows = [ingest.receive(raw, mailbox) for raw in messages[start : start + size]]
        received += time.perf_counter() - t0
        for row in ingest.process_batch(rows):
            states[str(row.state)] = states.get(str(row.state), 0) + 1
    elapsed = time.perf_counter() - started
    cpu, db_cpu = time.process_time() - cpu0, database_cpu_seconds() - db0
    n = len(messages)
    print(
        f"batches (receive {size} per commit, process_batch): {n} messages in {elapsed:.2f} s"
        f" = {n / elapsed:.0f} msg/s (receiving {received / n * 1000:.1f} ms per message)"
    )
    print(f"  {cpu_note(n, cpu, db_cpu)}; outcome: {states}")


def _worker(mailbox_pk: int, messages: list[bytes], out) -> None:
    from podpora.mail import ingest
    from podpora.mail.models import Mailbox

    mailbox = Mailbox.objects.get(pk=mailbox_pk)
    for raw in messages:
        ingest.process(ingest.receive(raw, mailbox))
    connection.close()
    out.put(len(messages))


def bench_parallel(mailbox, messages: list[bytes], workers: int) -> None:
    """The same work split over ``workers`` processes (one per core), as several pollers or
    LMTP listeners would run it."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    connection.close()  # each child opens its own
    shares = [messages[i::workers] for i in range(workers)]
    t0 = time.perf_counter()
    procs = [ctx.Process(target=_worker, args=(mailbox.pk, share, out)) for share in shares]
    for p in procs:
        p.start()
    done = sum(out.get() for _ in procs)
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - t0
    print(
        f"{workers} worker processes: {done} messages in {elapsed:.2f} s = {done / elapsed:.0f}"
        f" msg/s in all, {done / elapsed / workers:.0f} msg/s per worker"
        f" ({os.cpu_count()} cores)"
    )


def bench_imap(mailbox, messages: list[bytes]) -> None:
    from podpora.mail import dovecot, imap

    reason = dovecot.unavailable_reason()
    if reason:
        print(f"IMAP poller: skipped ({reason})")
        return
    try:
        server = dovecot.start(user="bench")
    except RuntimeError as exc:
        print(f"IMAP poller: skipped ({exc})")
        return
    try:
        settings.MAIL_IMAP_CAFILE = server.cafile
        t0 = time.perf_counter()
        server.append("INBOX", *messages)
        appended = time.perf_counter() - t0
        mailbox.imap_host, mailbox.imap_port = "127.0.0.1", server.tls_port
        mailbox.imap_user, mailbox.imap_password = server.user, server.password
        mailbox.save()
        cpu0, db0 = time.process_time(), database_cpu_seconds()
        t0 = time.perf_counter()
        result = imap.poll_mailbox(mailbox, limit=len(messages))
        elapsed = time.perf_counter() - t0
        cpu, db_cpu = time.process_time() - cpu0, database_cpu_seconds() - db0
        n = len(messages)
        print(
            f"IMAP poller (Dovecot, TLS): {n} messages in {elapsed:.2f} s = {n / elapsed:.0f} msg/s"
            f" (APPEND of the same took {appended:.2f} s); {result.summary()}"
        )
        print(f"  {cpu_note(n, cpu, db_cpu)} (fetching ahead included)")
    finally:
        server.stop()


def bench_lmtp(messages: list[bytes], connections: int = 1) -> None:
    """Through the LMTP listener over TCP: the time until every message is processed. The
    client (smtplib, ``connections`` connections at once, as Postfix delivers with its
    destination concurrency, each delivering its share one message after another) runs in a
    process of its own, as an MTA does, so it does not compete with the listener for the
    GIL; the clock starts once it is connected."""
    import pickle

    from podpora.mail import lmtp
    from podpora.mail.dovecot import free_port

    client_script = """
import pickle, smtplib, sys, threading
port, path, sender, rcpt = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
connections = int(sys.argv[5])
with open(path, "rb") as fh:
    messages = pickle.load(fh)
clients = [smtplib.LMTP("127.0.0.1", port) for _ in range(connections)]
for client in clients:
    client.ehlo_or_helo_if_needed()
print("ready", flush=True)
sys.stdin.readline()
def deliver(client, share):
    for raw in share:
        client.sendmail(sender, [rcpt], raw)
threads = [
    threading.Thread(target=deliver, args=(c, messages[i::connections]))
    for i, c in enumerate(clients)
]
for t in threads:
    t.start()
for t in threads:
    t.join()
for client in clients:
    client.quit()
print("done", flush=True)
"""
    path = TMP / "lmtp-messages.pickle"
    path.write_bytes(pickle.dumps(messages))
    port = free_port()
    server = lmtp.Server("127.0.0.1", port, max_bytes=settings.MAX_MESSAGE_BYTES)
    server.start()

    def listener_db_cpu() -> float:  # the worker thread's connection
        return server.worker.submit(database_cpu_seconds).result()

    try:
        client = subprocess.Popen(
            [sys.executable, "-c", client_script, str(port), str(path)]
            + ["bench@zakaznik.example", MAILBOX, str(connections)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert client.stdout.readline().strip() == "ready"
        cpu0, db0 = time.process_time(), listener_db_cpu()
        t0 = time.perf_counter()
        client.stdin.write("go\n")
        client.stdin.flush()
        assert client.stdout.readline().strip() == "done"
        acknowledged = time.perf_counter() - t0
        server.drain()
        elapsed = time.perf_counter() - t0
        cpu, db_cpu = time.process_time() - cpu0, listener_db_cpu() - db0
        assert client.wait(timeout=60) == 0
    finally:
        server.stop()
        path.unlink(missing_ok=True)
    n = len(messages)
    print(
        f"LMTP listener ({connections} client connection{'s' if connections > 1 else ''},"
        f" client in another process): {n} messages in {elapsed:.2f} s ="
        f" {n / elapsed:.0f} msg/s processed (all acknowledged after {acknowledged:.2f} s);"
        f" {server.stats.processed}"
    )
    print(f"  {cpu_note(n, cpu, db_cpu)}")


def _child_env() -> dict:
    """The environment for a ``podpora`` subprocess that uses this benchmark's database."""
    env = {**os.environ, "PODPORA_DATA_DIR": str(TMP)}
    if os.environ.get("DATABASE_URL"):
        s = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        )
    return env


def bench_mbox(messages: list[bytes]) -> None:
    """``podpora ingest-email --mbox``: one process for the whole file, start-up included."""
    import mailbox
    import resource

    path = TMP / "bench.mbox"
    box = mailbox.mbox(path)
    for raw in messages:
        box.add(raw)
    box.flush()
    box.close()
    podpora = str(Path(sys.executable).with_name("podpora"))
    connection.close()  # the child writes; SQLite allows one writer
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [podpora, "ingest-email", "--mbox", str(path)], env=_child_env(), capture_output=True
    )
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    n = len(messages)
    print(
        f"`podpora ingest-email --mbox` (one process, start-up included): {n} messages in"
        f" {elapsed:.2f} s = {n / elapsed:.0f} msg/s; exit {done.returncode};"
        f" {done.stdout.decode().strip()}"
    )
    print(f"  {n / cpu:.0f} msg per CPU second of that process")
    path.unlink(missing_ok=True)


def bench_pipe(messages: list[bytes]) -> None:
    podpora = str(Path(sys.executable).with_name("podpora"))
    env = _child_env()
    codes = []
    t0 = time.perf_counter()
    for raw in messages:
        codes.append(
            subprocess.run(
                [podpora, "ingest-email"], input=raw, env=env, capture_output=True
            ).returncode
        )
    elapsed = time.perf_counter() - t0
    n = len(messages)
    print(
        f"pipe `podpora ingest-email` (a process per message): {n} in {elapsed:.2f} s ="
        f" {n / elapsed:.1f} msg/s; exit codes {sorted(set(codes))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="messages for the in-process run")
    parser.add_argument("--imap-n", type=int, default=200, help="messages through IMAP (0: skip)")
    parser.add_argument("--lmtp-n", type=int, default=200, help="messages over LMTP (0: skip)")
    parser.add_argument(
        "--workers", type=int, default=2, help="processes for the parallel run (0: skip)"
    )
    parser.add_argument("--mbox-n", type=int, default=500, help="messages through --mbox (0: skip)")
    parser.add_argument("--pipe-n", type=int, default=20, help="subprocess runs (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    settings.STORAGE_DIR = TMP / "blobs"
    original_name = connection.settings_dict["NAME"]
    database = setup_database()
    try:
        print(f"database: {database}; data in {TMP}")
        mailbox, addresses = seed()
        rng = random.Random(args.seed)
        warm = [message(rng, addresses, [], n) for n in range(min(50, args.n))]
        from podpora.mail import ingest
        from podpora.tickets.models import Ticket

        for raw in warm:  # tickets to reply to, and warm caches
            ingest.process(ingest.receive(raw, mailbox))
        numbers = list(Ticket.objects.values_list("number", flat=True))
        messages = [message(rng, addresses, numbers, 1000 + n) for n in range(args.n)]
        size = sum(len(m) for m in messages) / len(messages) / 1024
        print(f"messages: {len(messages)}, mean {size:.0f} KiB")
        bench_in_process(mailbox, messages)
        bench_batches(
            mailbox, [message(rng, addresses, numbers, 50_000 + n) for n in range(args.n)]
        )
        if args.workers:
            bench_parallel(
                mailbox,
                [message(rng, addresses, numbers, 40_000 + n) for n in range(args.n)],
                args.workers,
            )
        if args.imap_n:
            imap_messages = [
                message(rng, addresses, numbers, 10_000 + n) for n in range(args.imap_n)
            ]
            bench_imap(mailbox, imap_messages)
        if args.lmtp_n:
            bench_lmtp([message(rng, addresses, numbers, 30_000 + n) for n in range(args.lmtp_n)])
            bench_lmtp(
                [message(rng, addresses, numbers, 70_000 + n) for n in range(args.lmtp_n)],
                connections=10,
            )
        if args.mbox_n:
            bench_mbox([message(rng, addresses, numbers, 60_000 + n) for n in range(args.mbox_n)])
        if args.pipe_n:
            connection.close()
            bench_pipe([message(rng, addresses, numbers, 20_000 + n) for n in range(args.pipe_n)])
    finally:
        connection.close()
        teardown_database(original_name)
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
