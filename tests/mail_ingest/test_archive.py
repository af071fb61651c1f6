"""`podpora ingest-email --mbox/--maildir`: a whole archive through one process, in batches;
an import cut short is finished by running it again, nothing filed twice."""

from __future__ import annotations

import io
import mailbox as stdlib_mailbox

import pytest
from django.core.management import CommandError, call_command

from podpora.mail import archive, ingest
from podpora.mail.models import InboundMessage
from podpora.tickets.models import Article, Ticket

from .helpers import build

pytestmark = pytest.mark.django_db(transaction=True)


def _messages(count: int) -> list[bytes]:
    """``count`` messages of a known contact: new requests, the first one's reply, and the
    second one delivered twice."""
    first = build(subject="Požadavek 0", message_id="<zero@mail.example.cz>")
    reply = build(
        subject="Re: Požadavek 0",
        body="Doplňuji: týká se to i dobropisů.",
        headers={"In-Reply-To": "<zero@mail.example.cz>"},
    )
    second = build(subject="Požadavek 1")
    rest = [build(subject=f"Požadavek {n}") for n in range(2, count - 2)]
    return [first, second, *rest[: count // 2], reply, second, *rest[count // 2 :]]


def _mbox(path, messages: list[bytes]):
    box = stdlib_mailbox.mbox(path)
    for raw in messages:
        box.add(raw)
    box.flush()
    box.close()
    return path


def _run(**options) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest-email", stdout=out, stderr=err, **options)
    return out.getvalue().strip()


def test_an_mbox_is_filed_in_batches_and_a_second_run_files_nothing(cast, mailbox, tmp_path):
    messages = _messages(120)  # three chunks of 50
    path = _mbox(tmp_path / "archive.mbox", messages)

    summary = _run(mbox=path)

    assert summary.startswith("120 of 120 messages stored, 119 new")
    assert Ticket.objects.count() == 118  # the reply and the second copy file no ticket
    first = Ticket.objects.get(subject="Požadavek 0")
    assert list(first.articles.values_list("body", flat=True).order_by("pk"))[-1].startswith(
        "Doplňuji"
    )
    assert InboundMessage.objects.filter(state="processed").count() == 119
    assert not InboundMessage.objects.filter(state="received").exists()

    again = _run(mbox=path)

    assert again == "120 of 120 messages stored, 0 new"
    assert Ticket.objects.count() == 118
    assert InboundMessage.objects.count() == 119


def test_a_maildir_is_filed_in_name_order(cast, mailbox, tmp_path):
    box = stdlib_mailbox.Maildir(tmp_path / "Maildir")
    for n in range(3):
        box.add(build(subject=f"Z Maildiru {n}"))
    box.close()

    summary = _run(maildir=tmp_path / "Maildir", mailbox=mailbox.address)

    assert summary == "3 of 3 messages stored, 3 new (processed 3)"
    assert set(Ticket.objects.values_list("subject", flat=True)) == {
        f"Z Maildiru {n}" for n in range(3)
    }


def test_an_import_cut_short_exits_75_and_running_it_again_finishes_it(
    cast, mailbox, tmp_path, monkeypatch
):
    messages = _messages(120)
    path = _mbox(tmp_path / "archive.mbox", messages)
    receive, calls = ingest.receive, []

    def failing(raw, box=None, **kw):  # the storage fails at the 70th message
        calls.append(raw)
        if len(calls) == 70:
            raise OSError("No space left on device")
        return receive(raw, box, **kw)

    monkeypatch.setattr(ingest, "receive", failing)
    with pytest.raises(SystemExit) as exited:
        _run(mbox=path)
    assert exited.value.code == 75
    # The first chunk is stored and filed; nothing of the chunk that failed is.
    assert InboundMessage.objects.count() == 50
    assert Ticket.objects.count() == 50

    monkeypatch.setattr(ingest, "receive", receive)
    assert _run(mbox=path).startswith("120 of 120 messages stored, 69 new")
    assert Ticket.objects.count() == 118
    assert InboundMessage.objects.count() == 119
    assert Article.objects.filter(body__startswith="Doplňuji").count() == 1


@pytest.mark.parametrize("kind", ["mbox", "maildir"])
def test_a_missing_archive_is_a_clear_error(kind, tmp_path, db):
    with pytest.raises(CommandError, match="no such mbox file|not a Maildir"):
        _run(**{kind: tmp_path / "nothing-here"})


def test_an_unknown_mailbox_is_a_clear_error(tmp_path, db):
    path = _mbox(tmp_path / "a.mbox", [build()])
    with pytest.raises(CommandError, match="no mailbox"):
        _run(mbox=path, mailbox="nobody@example.com")


def test_progress_is_reported_as_chunks_are_stored(cast, mailbox):
    seen = []
    result = archive.import_messages(
        iter(_messages(120)), 120, mailbox, progress=lambda r: seen.append(r.stored)
    )
    assert seen == [50, 100, 120]
    assert result.states == {"processed": 119}


@pytest.mark.parametrize("silent", [False, True])
def test_a_silent_import_answers_nobody_and_notifies_nobody(cast, mailbox, tmp_path, smtp, silent):
    from podpora.mail.models import AutoReplyLog

    path = _mbox(tmp_path / "old.mbox", _messages(10))

    _run(mbox=path, silent=silent)

    assert Ticket.objects.count() == 8
    if silent:
        assert not AutoReplyLog.objects.exists()
        assert smtp.messages == []
    else:  # the first acknowledgements, up to the rate cap
        assert AutoReplyLog.objects.filter(kind="ticket_created").exists()
        assert smtp.to("alena@example.cz")


def test_silent_goes_with_an_archive_only(db):
    with pytest.raises(CommandError, match="--silent"):
        _run(silent=True)
