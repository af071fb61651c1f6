"""The LMTP listener's worker: replies first, stored messages processed together, in order.

A real client (smtplib.LMTP) over TCP; the listener's worker thread has its own connection.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest

from podpora.mail import ingest, lmtp
from podpora.mail.dovecot import free_port
from podpora.mail.models import InboundMessage
from podpora.tickets.models import Ticket

from .helpers import MAILBOX_ADDRESS, build

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def batches(monkeypatch):
    """The sizes of the batches the worker processed, in order."""
    sizes: list[int] = []
    real = ingest.process_batch

    def recording(rows, **kwargs):
        sizes.append(len(rows))
        return real(rows, **kwargs)

    monkeypatch.setattr(ingest, "process_batch", recording)
    return sizes


@pytest.fixture
def listener(cast, mailbox, settings, monkeypatch):
    """A listener whose worker waits long for the next message: it processes only when told
    to (``drain``, ``stop``) or when a batch is full."""
    monkeypatch.setattr(lmtp, "LINGER", 60)
    srv = lmtp.Server("127.0.0.1", free_port(), max_bytes=settings.MAX_MESSAGE_BYTES)
    srv.start()
    yield srv
    srv.stop()


def send(srv, *raws: bytes) -> None:
    """One connection, one message after another, as an MTA delivers."""
    with smtplib.LMTP("127.0.0.1", srv.controller.port) as client:
        for raw in raws:
            assert client.sendmail("alena@example.cz", [MAILBOX_ADDRESS], raw) == {}


def subjects_in_order() -> list[str]:
    return list(Ticket.objects.order_by("pk").values_list("subject", flat=True))


def test_250_comes_once_stored_and_before_processing_which_keeps_arrival_order(listener, batches):
    send(listener, *[build(subject=f"Zpráva {n}") for n in range(5)])

    # every 250 came back once its message was stored; none waited for processing
    assert list(InboundMessage.objects.values_list("state", flat=True)) == ["received"] * 5
    assert Ticket.objects.count() == 0

    listener.drain()
    assert batches == [5]  # one transaction for the five
    assert subjects_in_order() == [f"Zpráva {n}" for n in range(5)]
    assert listener.stats.processed == {"processed": 5}


def test_a_full_batch_is_processed_without_waiting_and_stop_processes_the_rest(
    cast, mailbox, settings, monkeypatch, batches
):
    monkeypatch.setattr(lmtp, "LINGER", 60)
    monkeypatch.setattr(ingest, "BATCH_SIZE", 2)
    srv = lmtp.Server("127.0.0.1", free_port(), max_bytes=settings.MAX_MESSAGE_BYTES)
    srv.start()
    try:
        send(srv, *[build(subject=f"Zpráva {n}") for n in range(5)])
        # the fifth was stored after the worker had processed the first four
        assert batches == [2, 2]
        assert subjects_in_order() == [f"Zpráva {n}" for n in range(4)]
    finally:
        srv.stop()
    assert batches == [2, 2, 1]
    assert subjects_in_order() == [f"Zpráva {n}" for n in range(5)]
    assert set(InboundMessage.objects.values_list("state", flat=True)) == {"processed"}


def test_the_same_message_again_while_the_first_waits_is_processed_once(listener, batches):
    raw = build(subject="Dvakrát")
    send(listener, raw, raw)
    listener.drain()
    assert batches == [1]
    assert (listener.stats.stored, listener.stats.duplicates) == (1, 1)
    assert InboundMessage.objects.count() == 1 and Ticket.objects.count() == 1


def test_a_message_an_earlier_run_left_unprocessed_is_processed_when_it_comes_again(
    listener, mailbox
):
    raw = build(subject="Zůstala")
    ingest.receive(raw, mailbox)  # stored by a listener that died before processing it

    send(listener, raw)
    listener.drain()

    assert InboundMessage.objects.get().state == "processed"
    assert subjects_in_order() == ["Zůstala"]


def test_when_processing_fails_the_worker_goes_on_and_the_retry_job_finishes(listener, monkeypatch):
    real = ingest.process_batch

    def broken(rows, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(ingest, "process_batch", broken)
    send(listener, build(subject="První"))
    listener.drain()
    assert InboundMessage.objects.get().state == "received"

    monkeypatch.setattr(ingest, "process_batch", real)
    send(listener, build(subject="Druhá"))  # still answered and processed
    listener.drain()
    assert ingest.process_stale(older_than=timedelta(0)) == 1
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Druhá", "První"]


def test_a_recipient_is_answered_while_messages_wait_for_processing(listener):
    send(listener, build(subject="Čeká"))
    with smtplib.LMTP("127.0.0.1", listener.controller.port) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            client.sendmail("alena@example.cz", ["nekdo@jinde.example"], build())
    assert Ticket.objects.count() == 0  # answered before the waiting message was processed
    listener.drain()
    assert subjects_in_order() == ["Čeká"]


@pytest.fixture
def groups(monkeypatch):
    """How many messages each flushed commit of the listener's receiving_batch held."""
    sizes: list[int] = []
    real_batch, real_receive = ingest.receiving_batch, ingest.receive
    open_groups: list[list] = []

    class Counting:
        def __enter__(self):
            self.inner = real_batch()
            self.inner.__enter__()
            open_groups.append([])

        def __exit__(self, *exc):
            sizes.append(len(open_groups.pop()))
            return self.inner.__exit__(*exc)

    def receive(raw, mailbox=None, **kw):
        if open_groups:
            open_groups[-1].append(raw)
        return real_receive(raw, mailbox, **kw)

    monkeypatch.setattr(ingest, "receiving_batch", Counting)
    monkeypatch.setattr(ingest, "receive", receive)
    return sizes


def _deliver_in_parallel(srv, raws: list[bytes]) -> list:
    """Each message over its own connection, its DATA sent while the worker is busy, as
    Postfix delivers: what each connection was answered (250 for each message stored)."""
    import threading
    import time

    recipients_done = threading.Barrier(len(raws) + 1)
    data_sent = threading.Barrier(len(raws) + 1)
    results: list = [None] * len(raws)

    def one(i: int) -> None:
        with smtplib.LMTP("127.0.0.1", srv.controller.port) as client:
            client.ehlo()
            client.mail("alena@example.cz")
            client.rcpt(MAILBOX_ADDRESS)  # answered by the worker, which is free
            recipients_done.wait(10)
            data_sent.wait(10)
            results[i] = client.data(raws[i])[0]

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(raws))]
    for t in threads:
        t.start()
    recipients_done.wait(10)
    gate, busy = threading.Event(), threading.Event()

    def hold() -> None:
        busy.set()
        gate.wait(10)

    srv.worker.submit(hold)  # busy until every DATA waits for it
    assert busy.wait(10)  # taken off the queue: from now on the queue holds only the DATA
    data_sent.wait(10)
    deadline = time.monotonic() + 10
    while srv.worker._calls.qsize() < len(raws) and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.set()
    for t in threads:
        t.join(10)
    return results


def test_messages_of_parallel_connections_are_stored_in_one_commit(listener, groups):
    raws = [build(subject=f"Souběžně {n}") for n in range(6)]
    raws.append(raws[0])  # the same message on two connections at once

    assert _deliver_in_parallel(listener, raws) == [250] * 7

    assert groups == [7]  # one flushed commit for all of them
    assert InboundMessage.objects.count() == 6
    assert (listener.stats.stored, listener.stats.duplicates) == (6, 1)
    listener.drain()
    assert sorted(subjects_in_order()) == sorted(f"Souběžně {n}" for n in range(6))


def test_when_the_common_commit_fails_each_message_is_stored_alone(listener, monkeypatch):
    real = ingest.receiving_batch
    failures = []

    def failing_once():
        if not failures:
            failures.append(1)
            raise OSError("disk hiccup")
        return real()

    monkeypatch.setattr(ingest, "receiving_batch", failing_once)
    raws = [build(subject=f"Jednotlivě {n}") for n in range(4)]

    assert _deliver_in_parallel(listener, raws) == [250] * 4

    assert failures == [1]
    assert InboundMessage.objects.count() == 4
    listener.drain()
    assert Ticket.objects.count() == 4
