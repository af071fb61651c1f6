"""Loop and auto-reply detection (reliability-security.md 2.2 and 3.1 item 8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from podpora.mail.loops import allow_auto_reply, bounced_message_id, classify
from podpora.mail.parse import parse_message

FIXTURES = Path(__file__).parent / "fixtures"
OWN = {"podpora@podpora.example", "Hotline@Podpora.example"}
DOMAIN = "podpora.example"


@pytest.fixture(autouse=True)
def _isolated():
    """Pure tests: replace the suite-wide Django fixture (this file runs with -p no:django)."""


def kind_of(raw: bytes) -> tuple[str, str]:
    result = classify(parse_message(raw), OWN, DOMAIN)
    return result.kind, result.reason


def mail(*headers: str, body: str = "Dobrý den") -> bytes:
    base = ["From: Jan Novák <jan@firma.example>", "To: podpora@podpora.example", "Subject: Dotaz"]
    return ("\n".join([*base, *headers]) + "\n\n" + body + "\n").encode()


def test_a_person_writing_is_normal() -> None:
    result = classify(parse_message(mail()), OWN, DOMAIN)
    assert (result.kind, result.may_auto_reply, result.from_machine) == ("normal", True, False)
    assert (
        classify(parse_message((FIXTURES / "cz_reply_quoted.eml").read_bytes()), OWN, DOMAIN).kind
        == "normal"
    )


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Auto-Submitted: auto-replied", "auto_reply"),
        ("Auto-Submitted: auto-generated", "auto_reply"),
        ("Auto-Submitted: auto-notified; owner-email=x@y", "auto_reply"),
        ("Auto-Submitted: no", "normal"),
        ("Auto-Submitted: No", "normal"),
        ("X-Auto-Response-Suppress: All", "auto_reply"),
        ("X-Auto-Response-Suppress: DR, OOF", "auto_reply"),
        ("X-Auto-Response-Suppress: RN", "normal"),
        ("X-Autoreply: yes", "auto_reply"),
        ("X-Autorespond: Jsem na dovolené", "auto_reply"),
        ("Precedence: auto_reply", "auto_reply"),
        ("Precedence: bulk", "bulk"),
        ("Precedence: junk", "bulk"),
        ("Precedence: list", "bulk"),
        ("List-Id: <uzivatele.firma.example>", "bulk"),
        ("List-Unsubscribe: <mailto:unsub@firma.example>", "bulk"),
        ("Return-Path: <>", "auto_reply"),
        ("X-Loop: helpdesk@jina-firma.example", "auto_reply"),
        ("X-Loop: podpora@podpora.example", "own_loop"),
        ("X-Loop: podpora.example", "own_loop"),
        (
            "Content-Type: multipart/report; report-type=disposition-notification; boundary=x",
            "auto_reply",
        ),
    ],
)
def test_header_signals(header: str, kind: str) -> None:
    assert kind_of(mail(header))[0] == kind


def test_czech_auto_reply_fixture() -> None:
    kind, reason = kind_of((FIXTURES / "cz_auto_reply.eml").read_bytes())
    assert (kind, reason) == ("auto_reply", "Auto-Submitted: auto-replied")


@pytest.mark.parametrize(
    "subject",
    [
        "Automatická odpověď: Dotaz",
        "Out of Office: Dotaz",
        "Automatic reply: x",
        "Jsem mimo kancelář",
    ],
)
def test_auto_reply_subjects_without_headers(subject: str) -> None:
    raw = f"From: a@firma.example\nSubject: {subject}\n\nNejsem tu.\n".encode()
    assert kind_of(raw)[0] == "auto_reply"


def test_dsn_bounce_of_our_notification() -> None:
    parsed = parse_message((FIXTURES / "cz_dsn_bounce.eml").read_bytes())
    result = classify(parsed, OWN, DOMAIN)
    assert result.kind == "bounce" and not result.may_auto_reply
    assert bounced_message_id(parsed, DOMAIN) == "podpora.abc123@podpora.example"
    assert bounced_message_id(parsed) == "podpora.abc123@podpora.example"


def test_bounce_detected_even_when_our_mta_uses_our_domain() -> None:
    raw = (
        (FIXTURES / "cz_dsn_bounce.eml")
        .read_bytes()
        .replace(b"<20261112092000.ABCDEF@mx.podpora.example>", b"<dsn.1@podpora.example>")
    )
    assert kind_of(raw)[0] == "bounce"


@pytest.mark.parametrize(
    "sender",
    ["MAILER-DAEMON@mx.firma.example", "postmaster@firma.example", "MAILER-DAEMON"],
)
def test_system_senders_are_bounces(sender: str) -> None:
    raw = f"From: {sender}\nSubject: Returned mail\n\nsorry\n".encode()
    assert kind_of(raw)[0] == "bounce"


def test_plain_text_bounce_names_the_original_in_its_body() -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.firma.example\nReturn-Path: <>\nSubject: failure notice\n\n"
        b"Sorry, we were unable to deliver your message.\n\n--- Below this line is a copy.\n\n"
        b"From: podpora@podpora.example\nMessage-ID: <podpora.n-9.zz@podpora.example>\n"
    )
    parsed = parse_message(raw)
    assert classify(parsed, OWN, DOMAIN).kind == "bounce"
    assert bounced_message_id(parsed, DOMAIN) == "podpora.n-9.zz@podpora.example"
    assert bounced_message_id(parse_message(mail())) is None


def test_our_own_mail_coming_back() -> None:
    from_us = mail().replace(b"Jan Nov\xc3\xa1k <jan@firma.example>", b"<HOTLINE@podpora.example>")
    assert kind_of(from_us) == ("own_loop", "From is our own address hotline@podpora.example")
    ours = mail("Message-ID: <podpora.n-1.aa@podpora.example>", "Auto-Submitted: auto-generated")
    assert kind_of(ours) == ("own_loop", "our Message-ID podpora.n-1.aa@podpora.example came back")
    # Our domain in a Message-ID alone is not enough: anyone can write it.
    assert kind_of(mail("Message-ID: <forged@podpora.example>"))[0] == "normal"


def test_helpdesk_ping_pong_is_stopped_by_the_rate_cap() -> None:
    """FreeScout #2445: another helpdesk acknowledges with no machine headers at all."""
    raw = mail(body="Ticket Received - 286614").replace(
        b"Subject: Dotaz", b"Subject: Ticket Received - 286614 - [#117904] Ticket Received"
    )
    assert kind_of(raw)[0] == "normal"  # nothing in the headers, so the backstop must hold
    now = datetime(2026, 11, 12, 10, 0, tzinfo=UTC)
    sent: list[datetime] = []
    for minute in range(60):
        moment = now + timedelta(minutes=minute)
        if allow_auto_reply(sent, moment):
            sent.append(moment)
    assert len(sent) == 3


def test_allow_auto_reply_windows() -> None:
    now = datetime(2026, 11, 12, 12, 0, tzinfo=UTC)
    assert allow_auto_reply([], now)
    hour = [now - timedelta(minutes=m) for m in (5, 10, 20)]
    assert not allow_auto_reply(hour, now)
    assert allow_auto_reply(hour, now, per_hour=4)
    day = [now - timedelta(hours=h, minutes=1) for h in range(1, 24) for _ in range(2)][:40]
    assert not allow_auto_reply(day, now)
    assert allow_auto_reply([now - timedelta(days=2)] * 100, now)
    assert not allow_auto_reply([now + timedelta(hours=5)] * 3, now)  # clock stepped back
