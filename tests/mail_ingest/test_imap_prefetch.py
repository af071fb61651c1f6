"""Fetching ahead: batch N+1 comes over a second connection while batch N is handled.

Against the real Dovecot over TLS, with batches of two messages so that a few messages make
several batches.
"""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

import pytest

from podpora.core import storage
from podpora.core.models import Blob
from podpora.mail import imap, ingest
from podpora.mail.models import InboundMessage, Mailbox
from podpora.tickets.models import Ticket

from .helpers import build

pytestmark = pytest.mark.imap

FETCH_THREAD = "podpora-imap-fetch"


@pytest.fixture
def poll(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(imap, "BATCH_MESSAGES", 2)

    def run(mailbox, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return imap.poll_mailbox(mailbox, **kwargs)

    return run


@pytest.fixture
def fetches(monkeypatch):
    """Every batch fetch, as (thread name, uids), in the order they finished."""
    seen: list[tuple[str, list[int]]] = []
    real = imap._fetch

    def recording(client, uids, sizes):
        fetched = real(client, uids, sizes)
        seen.append((threading.current_thread().name, list(uids)))
        return fetched

    monkeypatch.setattr(imap, "_fetch", recording)
    return seen


def append(dovecot, mailbox, count: int, start: int = 0) -> None:
    dovecot.append(
        mailbox.imap_folder,
        *[build(subject=f"Požadavek {n}") for n in range(start, start + count)],
    )


def subjects_in_order() -> list[str]:
    return list(Ticket.objects.order_by("pk").values_list("subject", flat=True))


def no_fetch_thread_left() -> bool:
    return not [t for t in threading.enumerate() if t.name.startswith(FETCH_THREAD)]


def test_the_next_batch_is_fetched_while_this_one_is_processed_and_order_is_kept(
    cast, imap_mailbox, dovecot, poll, fetches, monkeypatch, settings
):
    append(dovecot, imap_mailbox, 7)
    # The first message waits until the second batch has been fetched: without fetching
    # ahead it would wait in vain.
    second_batch_fetched = threading.Event()
    real_fetch, real_process = imap._fetch, ingest.process_batch

    def fetch(client, uids, sizes):
        fetched = real_fetch(client, uids, sizes)
        if threading.current_thread().name.startswith(FETCH_THREAD):
            second_batch_fetched.set()
        return fetched

    def process(rows, **kwargs):
        assert second_batch_fetched.wait(timeout=30), "batch 2 was not fetched ahead"
        return real_process(rows, **kwargs)

    # Every query goes through a cursor: the fetching thread must open none.
    from django.db.backends.base.base import BaseDatabaseWrapper

    query_threads = set()
    real_cursor = BaseDatabaseWrapper._cursor

    def cursor(self, *args, **kwargs):
        query_threads.add(threading.current_thread().name)
        return real_cursor(self, *args, **kwargs)

    monkeypatch.setattr(imap, "_fetch", fetch)
    monkeypatch.setattr(ingest, "process_batch", process)
    monkeypatch.setattr(BaseDatabaseWrapper, "_cursor", cursor)
    processed_uids = []

    result = poll(imap_mailbox, progress=lambda uid, inbound: processed_uids.append(uid))

    assert (result.fetched, result.new, result.states) == (7, 7, {"processed": 7})
    assert result.errors == []
    assert processed_uids == sorted(processed_uids) and len(set(processed_uids)) == 7
    assert subjects_in_order() == [f"Požadavek {n}" for n in range(7)]
    main = threading.current_thread().name
    assert [(name == main, len(uids)) for name, uids in fetches] == [
        (True, 2),  # the first batch on the main connection, the others ahead
        (False, 2),
        (False, 2),
        (False, 1),
    ]
    assert [uid for _name, uids in fetches for uid in uids] == processed_uids
    assert query_threads == {main}
    assert dovecot.status(imap_mailbox.imap_folder) == {"messages": 7, "unseen": 0}
    # what the fetcher wrote to the blob store is exactly what receive() stored
    files = {p.name for p in settings.STORAGE_DIR.rglob("*") if p.is_file()}
    assert files == set(Blob.objects.values_list("sha256", flat=True))
    assert no_fetch_thread_left()


def test_one_batch_uses_one_connection(cast, imap_mailbox, dovecot, poll, fetches, monkeypatch):
    append(dovecot, imap_mailbox, 2)
    connections = []
    real_connect = imap.connect
    monkeypatch.setattr(imap, "connect", lambda mb: connections.append(1) or real_connect(mb))

    assert poll(imap_mailbox).fetched == 2
    assert len(connections) == 1 and len(fetches) == 1


def test_the_limit_holds_when_fetching_ahead(cast, imap_mailbox, dovecot, poll, fetches):
    append(dovecot, imap_mailbox, 8)

    result = poll(imap_mailbox, limit=5)

    assert result.fetched == 5 and Ticket.objects.count() == 5
    assert [len(uids) for _name, uids in fetches] == [2, 2, 1]
    assert dovecot.status(imap_mailbox.imap_folder)["unseen"] == 3
    assert subjects_in_order() == [f"Požadavek {n}" for n in range(5)]

    poll(imap_mailbox, limit=5)
    assert subjects_in_order() == [f"Požadavek {n}" for n in range(8)]


def test_a_dropped_fetching_connection_is_replaced_by_the_main_one(
    cast, imap_mailbox, dovecot, poll, monkeypatch
):
    append(dovecot, imap_mailbox, 7)
    real_fetch = imap._Fetcher._fetch
    calls = {"n": 0}

    def dropped_on_second(self, uids, sizes):
        calls["n"] += 1
        if calls["n"] == 2:  # the server drops the fetching connection under the fetch
            self.client.socket().shutdown(socket.SHUT_RDWR)
        return real_fetch(self, uids, sizes)

    monkeypatch.setattr(imap._Fetcher, "_fetch", dropped_on_second)

    result = poll(imap_mailbox)

    assert (result.fetched, result.new, result.errors) == (7, 7, [])
    assert calls["n"] == 2  # after the failure the round goes on without fetching ahead
    assert subjects_in_order() == [f"Požadavek {n}" for n in range(7)]
    assert dovecot.status(imap_mailbox.imap_folder)["unseen"] == 0
    assert no_fetch_thread_left()


def test_a_server_that_refuses_a_second_connection_is_polled_on_one(
    cast, imap_mailbox, dovecot, poll, monkeypatch
):
    append(dovecot, imap_mailbox, 5)
    real_connect = imap.connect

    def only_from_the_main_thread(mailbox, *args, **kwargs):
        if threading.current_thread().name.startswith(FETCH_THREAD):
            raise ConnectionRefusedError("too many connections")
        return real_connect(mailbox, *args, **kwargs)

    monkeypatch.setattr(imap, "connect", only_from_the_main_thread)

    result = poll(imap_mailbox)

    assert (result.fetched, result.errors) == (5, [])
    assert subjects_in_order() == [f"Požadavek {n}" for n in range(5)]


def test_when_fetching_fails_for_good_the_batches_before_are_kept_and_other_mailboxes_poll(
    cast, imap_mailbox, dovecot, fetches, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imap, "BATCH_MESSAGES", 2)
    append(dovecot, imap_mailbox, 5)
    second = Mailbox.objects.create(
        vendor=cast.vendor,
        name="Druhá",
        address="druha@acme.example",
        imap_host="127.0.0.1",
        imap_port=dovecot.tls_port,
        imap_user=dovecot.user,
        imap_password=dovecot.password,
        imap_folder=dovecot.new_folder(),
    )
    dovecot.append(second.imap_folder, build(to="druha@acme.example", subject="Jinam"))
    real_fetch = imap._fetch
    third_uid = []

    def broken_from_the_third(client, uids, sizes):
        if third_uid and third_uid[0] in uids:
            raise OSError("connection reset by peer")
        return real_fetch(client, uids, sizes)

    def first_fetch(client, uids, sizes):
        third_uid.append(uids[-1] + 1)  # uids are consecutive in a fresh folder
        monkeypatch.setattr(imap, "_fetch", broken_from_the_third)
        return broken_from_the_third(client, uids, sizes)

    monkeypatch.setattr(imap, "_fetch", first_fetch)
    with django_capture_on_commit_callbacks(execute=True):
        results = imap.poll_all()

    failed, polled = results
    assert isinstance(failed, OSError)  # fetched ahead and again on the main connection
    assert polled.fetched == 1 and Ticket.objects.filter(subject="Jinam").exists()
    # the first batch was stored, marked and processed; the rest waits on the server
    assert subjects_in_order() == ["Požadavek 0", "Požadavek 1", "Jinam"]
    assert InboundMessage.objects.count() == 3
    assert dovecot.status(imap_mailbox.imap_folder)["unseen"] == 3
    imap_mailbox.refresh_from_db()
    assert "connection reset" in imap_mailbox.last_error
    assert no_fetch_thread_left()

    monkeypatch.setattr(imap, "_fetch", real_fetch)
    with django_capture_on_commit_callbacks(execute=True):
        again = imap.poll_mailbox(imap_mailbox)
    assert (again.fetched, again.new, again.duplicates) == (3, 3, 0)
    assert InboundMessage.objects.count() == 6
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        "Jinam",
        *[f"Požadavek {n}" for n in range(5)],
    ]


def test_a_crash_while_fetching_ahead_loses_and_doubles_nothing(
    cast, imap_mailbox, dovecot, poll, monkeypatch
):
    """The worker dies while the next batch is being fetched: the poll waits for the fetch,
    closes the second connection and goes; what was stored is finished by the retry job,
    the rest by the next round."""
    append(dovecot, imap_mailbox, 5)
    fetching = threading.Event()
    release = threading.Event()
    real_fetch, real_process = imap._Fetcher._fetch, ingest.process_batch

    def slow_fetch(self, uids, sizes):
        fetching.set()
        release.wait(timeout=30)
        return real_fetch(self, uids, sizes)

    def die_during_fetch(rows, **kwargs):
        assert fetching.wait(timeout=30)
        threading.Timer(0.2, release.set).start()
        raise SystemExit("worker killed")

    monkeypatch.setattr(imap._Fetcher, "_fetch", slow_fetch)
    monkeypatch.setattr(ingest, "process_batch", die_during_fetch)
    with pytest.raises(SystemExit):
        poll(imap_mailbox)
    assert no_fetch_thread_left()
    assert InboundMessage.objects.filter(state="received").count() == 2
    assert dovecot.status(imap_mailbox.imap_folder)["unseen"] == 3

    monkeypatch.setattr(imap._Fetcher, "_fetch", real_fetch)
    monkeypatch.setattr(ingest, "process_batch", real_process)
    again = poll(imap_mailbox)
    assert (again.fetched, again.new) == (3, 3)
    assert ingest.process_stale(older_than=timedelta(0)) == 2
    assert InboundMessage.objects.count() == 5
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        f"Požadavek {n}" for n in range(5)
    ]


def test_fetching_ahead_while_moving_to_the_processed_folder(
    cast, imap_mailbox, dovecot, poll, fetches
):
    imap_mailbox.processed_folder = imap_mailbox.imap_folder + "-done"
    imap_mailbox.save()
    append(dovecot, imap_mailbox, 5)

    result = poll(imap_mailbox)

    assert result.fetched == 5 and result.errors == []
    assert len(fetches) == 3
    assert dovecot.status(imap_mailbox.imap_folder)["messages"] == 0
    assert dovecot.status(imap_mailbox.processed_folder)["messages"] == 5
    assert subjects_in_order() == [f"Požadavek {n}" for n in range(5)]


def test_an_oversized_message_in_a_batch_fetched_ahead_keeps_only_its_header(
    cast, imap_mailbox, dovecot, poll, settings
):
    settings.MAX_MESSAGE_BYTES = 5000
    append(dovecot, imap_mailbox, 2)
    dovecot.append(imap_mailbox.imap_folder, build(body="velká příloha " * 1000))

    result = poll(imap_mailbox)

    assert result.states == {"processed": 2, "quarantined": 1}
    big = InboundMessage.objects.get(reason="too_large")
    assert big.size > 5000
    assert b"velk" not in storage.read(big.raw_sha256)  # the header block only
    assert dovecot.status(imap_mailbox.imap_folder) == {"messages": 3, "unseen": 0}
