"""Kill -9 the IMAP poller in the middle of a batch: nothing lost, nothing doubled.

The poller runs as the real console script in its own process, against Dovecot and a
SQLite database file of its own (a subprocess cannot see the test's database), and is
killed with SIGKILL while it works through a batch. Then the next round and the retry job
finish the work, and every message is exactly one ticket.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import MAILBOX_ADDRESS, build

pytestmark = pytest.mark.imap

PODPORA = str(Path(sys.executable).with_name("podpora"))

SETUP = """
from podpora.accounts.models import Team
from podpora.customers.models import Contact, Contract, Organization, Plan, Vendor
from podpora.mail.models import Mailbox
import datetime, json, os
vendor = Vendor.objects.create(slug="acme", name="ACME", ticket_prefix="AC")
team = Team.objects.create(vendor=vendor, name="Hotline")
org = Organization.objects.create(vendor=vendor, name="Zákazník")
plan = Plan.objects.create(vendor=vendor, code="m", name="Údržba", kind="maintenance",
                           channels=["email"])
Contract.objects.create(organization=org, plan=plan, valid_from=datetime.date(2020, 1, 1))
Contact.objects.create(organization=org, first_name="Alena", last_name="Nováková",
                       email="alena@example.cz")
cfg = json.loads(os.environ["KILL_TEST"])
Mailbox.objects.create(vendor=vendor, name="IMAP", address=cfg["address"], team=team,
    imap_host="127.0.0.1", imap_port=cfg["port"], imap_user=cfg["user"],
    imap_password=cfg["password"], imap_folder=cfg["folder"], imap_security="tls")
"""

REPORT = """
import json
from collections import Counter
from podpora.mail.models import InboundMessage
from podpora.tickets.models import Ticket
rows = list(InboundMessage.objects.values_list("message_id", "state"))
print(json.dumps({
    "inbound": len(rows),
    "distinct": len({m for m, _s in rows}),
    "states": dict(Counter(s for _m, s in rows)),
    "tickets": Ticket.objects.count(),
    "subjects": sorted(Ticket.objects.values_list("subject", flat=True)),
    "problems": sorted({d for d in InboundMessage.objects.exclude(detail="").values_list(
        "detail", flat=True)}),
}))
"""


def report(env) -> dict:
    done = podpora(env, "shell", "-c", REPORT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def podpora(env, *args, **kwargs):
    return subprocess.run(
        [PODPORA, *args], env=env, capture_output=True, text=True, timeout=300, **kwargs
    )


def test_sigkill_in_the_middle_of_a_batch_loses_and_doubles_nothing(dovecot, tmp_path):
    folder = dovecot.new_folder()
    count = 60
    dovecot.append(
        folder,
        *[build(sender="alena@example.cz", subject=f"Požadavek {n:02d}") for n in range(count)],
    )
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env |= {
        "PODPORA_DATA_DIR": str(tmp_path / "data"),
        "PODPORA_IMAP_CAFILE": dovecot.cafile,
        "PODPORA_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "PODPORA_TASK_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "PODPORA_LOG_LEVEL": "ERROR",
        "KILL_TEST": json.dumps(
            {
                "address": MAILBOX_ADDRESS,
                "port": dovecot.tls_port,
                "user": dovecot.user,
                "password": dovecot.password,
                "folder": folder,
            }
        ),
    }
    (tmp_path / "data").mkdir()
    assert podpora(env, "migrate", "-v", "0").returncode == 0
    setup = podpora(env, "shell", "-c", SETUP)
    assert setup.returncode == 0, setup.stderr

    # The poller prints a line per processed message; kill it after the 12th of a batch of 50.
    poller = subprocess.Popen(
        [PODPORA, "poll-mail"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    done = 0
    for line in poller.stdout:
        if line.strip().startswith("uid "):
            done += 1
            if done == 12:
                poller.send_signal(signal.SIGKILL)
                break
    poller.wait(timeout=60)
    assert poller.returncode == -signal.SIGKILL

    killed = report(env)
    batch = 50
    assert killed["inbound"] == batch  # the whole batch was stored before it was flagged
    assert killed["states"].get("processed", 0) >= 12, killed["problems"]
    assert killed["states"].get("received", 0) == batch - killed["states"]["processed"]
    assert dovecot.status(folder)["unseen"] == count - batch  # the rest was never fetched

    second = podpora(env, "poll-mail")
    assert second.returncode == 0, second.stderr
    retry = podpora(
        env,
        "shell",
        "-c",
        "from podpora.mail import ingest; import datetime;"
        "print(ingest.process_stale(older_than=datetime.timedelta(0)))",
    )
    assert retry.returncode == 0, retry.stderr

    final = report(env)
    assert final["inbound"] == final["distinct"] == count
    assert final["states"] == {"processed": count}
    assert final["tickets"] == count
    assert final["subjects"] == [f"Požadavek {n:02d}" for n in range(count)]
    assert dovecot.status(folder)["unseen"] == 0
