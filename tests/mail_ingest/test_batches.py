"""Several messages processed together (process_batch): the outcome of one at a time, with
the look-ups made once for the batch."""

from __future__ import annotations

import pytest
from django.test.utils import CaptureQueriesContext

from podpora.mail import ingest
from podpora.mail.models import AutoReplyLog, InboundMessage, Mailbox
from podpora.tickets.models import Article, Event, Ticket

from .helpers import MAILBOX_ADDRESS, build


def receive_all(raws, mailbox):
    with ingest.receiving_batch():
        return [ingest.receive(raw, mailbox) for raw in raws]


@pytest.fixture
def run_batch(django_capture_on_commit_callbacks):
    def run(rows):
        with django_capture_on_commit_callbacks(execute=True):
            return ingest.process_batch(rows)

    return run


def test_a_reply_to_a_message_of_the_same_batch_continues_its_ticket(cast, mailbox, run_batch):
    first = build(sender="alena@example.cz", subject="Tisk", message_id="<prvni@example.cz>")
    again = build(
        sender="adam@example.cz",
        subject="Re: Tisk",
        body="Ještě doplním: týká se to i dobropisů.",
        headers={"In-Reply-To": "<prvni@example.cz>", "References": "<prvni@example.cz>"},
    )
    rows = run_batch(receive_all([first, again], mailbox))

    assert [r.state for r in rows] == ["processed", "processed"]
    ticket = Ticket.objects.get()
    assert rows[0].ticket_id == rows[1].ticket_id == ticket.pk
    assert [a.body.split(":")[0] for a in ticket.articles.order_by("pk")][1] == "Ještě doplním"


def test_the_same_message_through_two_mailboxes_in_one_batch_is_one_ticket(
    cast, mailbox, run_batch
):
    other = Mailbox.objects.create(vendor=cast.vendor, name="Obchod", address="obchod@acme.example")
    raw = build(sender="alena@example.cz", to=f"{MAILBOX_ADDRESS}, obchod@acme.example")
    rows = [*receive_all([raw], mailbox), *receive_all([raw], other)]
    rows = run_batch(rows)
    assert [(r.state, r.reason) for r in rows] == [("processed", ""), ("ignored", "duplicate")]
    assert rows[1].ticket_id == rows[0].ticket_id and Ticket.objects.count() == 1


def test_the_rate_cap_counts_the_acknowledgements_of_the_same_batch(
    cast, mailbox, run_batch, smtp, settings
):
    settings.MAIL_AUTO_REPLIES_PER_HOUR = 3
    raws = [build(sender="alena@example.cz", subject=f"Dotaz {n}") for n in range(6)]
    rows = run_batch(receive_all(raws, mailbox))
    assert Ticket.objects.count() == 6 and {r.state for r in rows} == {"processed"}
    assert AutoReplyLog.objects.filter(address="alena@example.cz").count() == 3
    assert len(smtp.to("alena@example.cz")) == 3


def test_a_message_that_fails_leaves_the_rest_of_its_batch_processed(
    cast, mailbox, run_batch, monkeypatch
):
    from podpora.tickets import services

    real = services.create_ticket

    def failing(data, **kw):
        if "Rozbitý" in data.subject:
            raise RuntimeError("chyba v programu")
        return real(data, **kw)

    monkeypatch.setattr(services, "create_ticket", failing)
    subjects = ["Jedna", "Rozbitý", "Tři", "Čtyři"]
    rows = run_batch(receive_all([build(subject=s) for s in subjects], mailbox))

    states = [(r.subject, r.state, r.reason) for r in rows]
    assert states == [
        ("Jedna", "processed", ""),
        ("Rozbitý", "quarantined", "error"),
        ("Tři", "processed", ""),
        ("Čtyři", "processed", ""),
    ]
    assert "chyba v programu" in rows[1].detail
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Jedna", "Tři", "Čtyři"]
    assert Article.objects.count() == 3  # nothing of the rolled-back attempt is left
    assert Event.objects.filter(ticket__subject="Jedna", kind="created").count() == 1


def test_a_message_another_worker_took_is_not_processed_twice(cast, mailbox, run_batch):
    rows = receive_all([build(subject=f"Dotaz {n}") for n in range(3)], mailbox)
    ingest.process(InboundMessage.objects.get(pk=rows[1].pk))  # the other worker

    rows = run_batch(rows)  # rows[1] is stale: still "received" in memory

    assert {r.state for r in rows} == {"processed"}
    assert Ticket.objects.count() == 3 and Article.objects.count() == 3


def test_a_message_delivered_twice_in_one_batch_is_processed_once(cast, mailbox, run_batch):
    raw = build(subject="Dvakrát")
    rows = receive_all([raw, build(subject="Jinak"), raw], mailbox)
    assert rows[0].pk == rows[2].pk and rows[0] is not rows[2]

    rows = run_batch(rows)

    assert [r.state for r in rows] == ["processed"] * 3
    assert rows[2].ticket_id == rows[0].ticket_id and Ticket.objects.count() == 2


def test_oversized_rows_of_a_batch_are_quarantined(cast, mailbox, run_batch, settings):
    rows = receive_all([build(subject="Malá"), build(subject="Velká", body="x" * 5000)], mailbox)
    settings.MAX_MESSAGE_BYTES = 3000
    rows = run_batch(rows)
    assert [(r.state, r.reason) for r in rows] == [("processed", ""), ("quarantined", "too_large")]


def test_a_batch_looks_up_senders_threads_and_auto_replies_once(cast, mailbox, run_batch):
    senders = ["alena@example.cz", "adam@example.cz", "bohous@example.cz", "neznamy@jinde.cz"]
    raws = [build(sender=senders[n % 4], subject=f"Dotaz {n} [#AC-{90000 + n}]") for n in range(12)]
    rows = receive_all(raws, mailbox)
    from django.db import connection

    with CaptureQueriesContext(connection) as captured:
        run_batch(rows)
    sql = [q["sql"] for q in captured.captured_queries]
    assert {r.state for r in InboundMessage.objects.all()} == {"processed"}
    assert Ticket.objects.count() == 12

    def count(fragment):
        return sum(fragment in q for q in sql)

    assert count("FROM customers_contact c") == 1  # every sender at once
    assert count("FROM mail_autoreplylog WHERE address IN") == 1
    assert count("FROM tickets_ticket WHERE number IN") == 1  # every subject tag at once
    assert count("FROM mail_inboundmessage i") == 1  # filed through another mailbox?
    assert count('INSERT INTO "tickets_event"') == 1  # the history of all twelve tickets
    assert count('INSERT INTO "mail_autoreplylog"') == 1  # every acknowledgement recorded
    assert AutoReplyLog.objects.count() == 12  # three messages from each of four senders
    assert count("COMMIT") <= 1 and count("core_configversion") == 1


# --------------------------------------------------------------------------- equivalence

SENDERS = ["alena", "adam", "bohous", "cizi"]  # cizi: nobody's contact


def _scenario(seed: int, n: int = 30) -> list[tuple]:
    """Messages as (kind, sender, earlier index): new, a reply to an earlier message, the
    same message again through the second mailbox, or an out-of-office answer."""
    import random

    rng = random.Random(seed)
    steps: list[tuple] = []
    for index in range(n):
        kind = rng.choice(["new", "new", "reply", "again", "auto"]) if index else "new"
        earlier = rng.randrange(index) if index else None
        if kind == "again" and steps[earlier][0] == "again":
            kind = "new"
        steps.append((kind, rng.choice(SENDERS), earlier))
    return steps


def _messages(steps, tag: str, boxes, domain: str) -> list[tuple[bytes, object]]:
    out: list[tuple[bytes, object]] = []
    for index, (kind, sender, earlier) in enumerate(steps):
        mid = f"<{tag}-{index}@example.cz>"
        headers = {}
        if kind == "reply":
            headers = {"In-Reply-To": f"<{tag}-{earlier}@example.cz>"}
        if kind == "auto":
            headers = {"Auto-Submitted": "auto-replied"}
        if kind == "again":
            out.append((out[earlier][0], boxes[1]))
            continue
        raw = build(
            sender=f"{sender}@{domain}",
            to=f"{boxes[0].address}, {boxes[1].address}",
            subject=f"Zpráva {index}",
            message_id=mid,
            headers=headers,
        )
        out.append((raw, boxes[0]))
    return out


def _signature(rows) -> list[tuple]:
    """(state, reason, which message opened the ticket) for each message."""
    opened: dict[int, int] = {}
    out = []
    for index, row in enumerate(rows):
        row.refresh_from_db()
        first = opened.setdefault(row.ticket_id, index) if row.ticket_id else None
        out.append((row.state, row.reason, first))
    return out


def _acknowledged(vendor) -> list[tuple[str, str]]:
    rows = AutoReplyLog.objects.filter(ticket__vendor=vendor)
    return sorted((a.split("@")[0], s) for a, s in rows.values_list("address", "ticket__subject"))


@pytest.mark.parametrize("seed", range(4))
def test_a_batch_ends_as_one_message_at_a_time_would(cast, run_batch, seed, settings):
    """The same scenario for two vendors with twin customers (the same people at another
    domain, as the rate caps count per address): one processed message by message, the
    other in batches (25 and 5). Every outcome must be the same."""
    from podpora.customers.models import Contact, Organization

    settings.MAIL_AUTO_REPLIES_PER_HOUR = 2
    twin = Organization.objects.create(vendor=cast.other_vendor, name="Alfa u druhého")
    other = Organization.objects.create(vendor=cast.other_vendor, name="Beta u druhého")
    for name, org in [("alena", twin), ("adam", twin), ("bohous", other)]:
        Contact.objects.create(
            organization=org, first_name="X", last_name="Y", email=f"{name}@druhy.example"
        )
    boxes = {
        vendor.pk: [
            Mailbox.objects.create(
                vendor=vendor, name="Podpora", address=f"podpora@{vendor.slug}.example"
            ),
            Mailbox.objects.create(
                vendor=vendor, name="Obchod", address=f"obchod@{vendor.slug}.example"
            ),
        ]
        for vendor in (cast.vendor, cast.other_vendor)
    }
    steps = _scenario(seed)

    one_by_one = []
    for raw, box in _messages(steps, "a", boxes[cast.vendor.pk], "example.cz"):
        one_by_one.append(ingest.process(ingest.receive(raw, box)))

    batched = [
        ingest.receive(raw, box)
        for raw, box in _messages(steps, "b", boxes[cast.other_vendor.pk], "druhy.example")
    ]
    run_batch(batched)

    assert _signature(batched) == _signature(one_by_one)
    assert _acknowledged(cast.other_vendor) == _acknowledged(cast.vendor)
    kinds = {kind for kind, _sender, _earlier in steps}
    assert {"new", "reply"} <= kinds  # the scenario exercises threading
