"""The parser's folding of base64 runs changes nothing: the MIME tree is the stdlib's own.

``mime._parse_mime`` hands the feedparser each run of base64 lines as one placeholder line
and puts the run back afterwards. The oracle is the plain ``BytesParser(policy.default)``:
the whole tree (headers, payloads, preambles, epilogues, defects) must be equal, over the
mail corpus and over generated messages that put runs in every place the parser can meet
them (headers, bodies, preambles, epilogues, before boundaries, nested, with any line
ending)."""

from __future__ import annotations

import os
from email import policy
from email.message import Message
from email.parser import BytesParser
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podpora.mail.parse import mime

CORPUS = Path(
    os.environ.get("PODPORA_CORPUS")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
)
EMAILS = CORPUS / "emails"
MESSAGES = sorted(EMAILS.glob("zammad/*.box")) + sorted(
    EMAILS.glob("stalwart-mail-parser/eml/*/*.eml")
)


@pytest.fixture(autouse=True)
def _isolated():
    """Pure tests: no database."""


def tree(message: Message) -> tuple:
    """Everything the parser decided, as plain values."""
    payload = message._payload  # noqa: SLF001 - comparing the parser's own output
    if isinstance(payload, list):
        payload = [tree(p) if isinstance(p, Message) else p for p in payload]
    return (
        message.get_unixfrom(),
        [(name, str(value)) for name, value in message._headers],  # noqa: SLF001
        payload,
        message.preamble,
        message.epilogue,
        message.get_default_type(),
        [(type(d).__name__, str(d)) for d in message.defects],
    )


def stdlib(data: bytes) -> tuple:
    return tree(BytesParser(policy=policy.default).parsebytes(data))


def folded(data: bytes) -> tuple:
    with mock.patch.object(mime, "FOLD_FROM_BYTES", 0):
        return tree(mime._parse_mime(data))


def base64_lines(count: int, ending: bytes = b"\r\n") -> bytes:
    return b"".join(b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MjQy" + ending for _ in range(count))


@pytest.mark.skipif(not MESSAGES, reason=f"mail corpus not found at {EMAILS}")
def test_the_corpus_parses_to_the_same_tree() -> None:
    for path in MESSAGES:
        data = path.read_bytes()
        assert folded(data) == stdlib(data), path.name


def test_an_attachment_is_folded_and_put_back_exactly() -> None:
    body = base64_lines(40)
    data = (
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\npreamble\r\n'
        + base64_lines(9)
        + b"--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + body
        + b"--b--\r\n"
        + base64_lines(10)
    )
    with mock.patch.object(mime, "FOLD_FROM_BYTES", 0):
        runs = mime._fold_runs(data)[1]
        message = mime._parse_mime(data)
    assert runs is not None and len(runs.lines) == 3  # preamble, attachment, epilogue
    assert folded(data) == stdlib(data)
    attachment = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
    assert attachment.get_payload() == body.decode()[:-2]  # the boundary takes the last CRLF
    assert "Xpodpora" not in str(tree(message))


def test_text_that_looks_like_a_placeholder_is_left_alone() -> None:
    line = b"Xpodpora0123456789abx0\n"
    data = b"Subject: x\n\n" + line + base64_lines(12, b"\n") + line
    assert folded(data) == stdlib(data)
    with mock.patch.object(mime, "FOLD_FROM_BYTES", 0):
        assert line.decode() in mime._parse_mime(data).get_payload()


# ------------------------------------------------------------------- generated messages

ENDINGS = st.sampled_from([b"\r\n", b"\n", b"\r"])
LINES = st.one_of(
    st.sampled_from(
        [
            b'Content-Type: multipart/mixed; boundary="A"',
            b'Content-Type: multipart/alternative; boundary="B"',
            b"Content-Type: message/rfc822",
            b"Content-Type: message/delivery-status",
            b"Content-Type: text/plain; charset=utf-8",
            b"Content-Transfer-Encoding: base64",
            b"Subject: =?utf-8?q?P=C5=99=C3=ADloha?=",
            b"\tcontinued header",
            b"From someone@example.com Mon Jan  1 00:00:00 2024",
            b"--A",
            b"--A--",
            b"--B",
            b"--B--  ",
            b"--A-- trailing",
            b"",
            b"plain text: with a colon",
            b"Xpodpora0123456789abx1",
            "Dobrý den, posílám přílohu".encode(),
            b"QUJD",
            b"=",
        ]
    ),
    st.integers(min_value=1, max_value=20).map(lambda n: b"QUJDREVGR0hJSktM\n" * n),
    st.integers(min_value=1, max_value=20).map(lambda n: b"QUJDREVGR0hJSktM\r\n" * n),
)


@st.composite
def messages(draw) -> bytes:
    lines = draw(st.lists(st.tuples(LINES, ENDINGS), min_size=1, max_size=60))
    data = b"".join(line + ending for line, ending in lines)
    if draw(st.booleans()):
        data = data.rstrip(b"\r\n")  # no line ending at the very end
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(messages())
def test_generated_messages_parse_to_the_same_tree(data: bytes) -> None:
    assert folded(data) == stdlib(data)


@st.composite
def multiparts(draw) -> bytes:
    """Well-formed shapes, where runs meet boundaries: the cases the folding must get
    exactly right (the line ending a boundary takes from the run before it)."""
    ending = draw(ENDINGS)
    runs = st.integers(min_value=0, max_value=12).map(
        lambda n: b"".join(b"QUJDREVGR0hJSktM" + draw(ENDINGS) for _ in range(n))
    )
    data = b'Content-Type: multipart/mixed; boundary="A"' + ending + ending + draw(runs)
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        data += b"--A" + ending + b"Content-Type: application/pdf" + ending
        data += draw(st.sampled_from([ending, b""])) + draw(runs)
    if draw(st.booleans()):
        data += b"--A--" + ending + draw(runs)
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(multiparts())
def test_generated_multiparts_parse_to_the_same_tree(data: bytes) -> None:
    assert folded(data) == stdlib(data)
