"""Bytes → the stdlib's MIME tree (``email.message.Message``), repaired and never raising."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from email import policy
from email.feedparser import BytesFeedParser
from email.message import Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from typing import Any

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_KNOWN_HEADER = re.compile(
    rb"^(from|to|cc|subject|date|message-id|mime-version|content-type|received|return-path|"
    rb"reply-to|in-reply-to|references|content-transfer-encoding|delivered-to|sender)[ \t]*:",
    re.IGNORECASE,
)


def _repair_header_block(data: bytes) -> tuple[bytes, bool]:
    """Keep headers after a stray line from ending the header block.

    The stdlib takes the first line that is neither a header nor a continuation as the start
    of the body, so one garbage line ("---- Original email message ----", a base64 blob that
    lost its indentation) turns From/To/Subject into body text. Such a line becomes a
    continuation of the previous header (or is dropped when it comes first), but only when
    well-known headers still follow it before the blank line.
    """
    head_end = data.find(b"\r\n\r\n")
    if head_end == -1:
        head_end = len(data)
    # Only an earlier LF LF can end the block first: don't scan a CRLF message's whole body.
    position = data.find(b"\n\n", 0, head_end)
    if position != -1:
        head_end = position
    head = data[:head_end]
    lines = head.split(b"\n")
    if len(lines) > 5000:
        return data, False
    bad_lines = [
        i
        for i, line in enumerate(lines)
        if line.strip()
        and not _HEADER_LINE.match(line)
        and line[:1] not in (b" ", b"\t")
        and not (i == 0 and line.startswith(b"From "))
    ]
    if not bad_lines:
        return data, False
    last_known = max((i for i, line in enumerate(lines) if _KNOWN_HEADER.match(line)), default=-1)
    if bad_lines[0] > last_known:
        return data, False
    bad = set(bad_lines)
    fixed: list[bytes] = []
    for i, line in enumerate(lines):
        if i in bad and i < last_known:
            if fixed and not (len(fixed) == 1 and fixed[0].startswith(b"From ")):
                fixed.append(b" " + line)
            continue
        fixed.append(line)
    return b"\n".join(fixed) + data[head_end:], True


class _MemoPolicy(EmailPolicy):
    """``policy.default`` that builds each distinct header object once per message.

    The feedparser asks a part for its Content-Type about six times (content type, main
    type, boundary, ...), and the stock policy runs the header registry's full parser on
    every ask: that was half the cost of parsing. Header objects are immutable values, so
    handing out the one already built changes nothing.
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        object.__setattr__(self, "_memo", {})  # policies are immutable; this is per parse

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):
            return value
        memo: dict[tuple[str, str], Any] = self._memo  # type: ignore[attr-defined]
        key = (name, value)
        header = memo.get(key)
        if header is None:
            header = memo[key] = super().header_fetch_parse(name, value)
        return header


def _parse_mime(data: bytes) -> Message:
    """``BytesParser(policy=policy.default).parsebytes(data)``, but faster, same result: the
    memoising policy, all bytes fed at once (BytesParser feeds 8 KiB chunks, and each chunk
    costs a line re-split and a resumption of the parser; the result does not depend on the
    chunking), and runs of base64 lines folded into one line each (:func:`_fold_runs`)."""
    data, runs = _fold_runs(data)
    parser = BytesFeedParser(policy=_MemoPolicy())
    parser.feed(data)
    message = parser.close()
    if runs:
        _unfold_runs(message, runs)
    return message


FOLD_FROM_BYTES = 4096  # a smaller message has no attachment worth the scan
# Eight or more whole lines of nothing but base64 characters, from the start of a line.
_BASE64_RUN = re.compile(rb"^(?:[A-Za-z0-9+/=]+\r?\n){8,}", re.MULTILINE)


# The parser strips the line ending before a boundary, so the last placeholder of a part
# or a preamble may have lost its own: the run goes back without its last one.
_PLACEHOLDER = re.compile(r"Xpodpora([0-9a-f]{12})x([0-9]+)(\r\n|\n)?")


@dataclass(frozen=True)
class _Runs:
    nonce: str  # in every placeholder; found nowhere in the message
    lines: list[str]  # what each placeholder stands for


def _fold_runs(data: bytes) -> tuple[bytes, _Runs | None]:
    """Replace each run of base64 lines (an attachment's body) by one placeholder line.

    The feedparser handles a message line by line in Python, and an attachment is hundreds
    of lines; it is most of the parsing time. The parser decides what a line is by whether
    it is blank, looks like a header (a colon before any space, or leading whitespace), or
    could be a boundary (leading "--"): a base64 line is none of these, and neither is the
    placeholder, a base64 line itself that keeps the run's last line ending. So the parser
    walks through the same states and puts the placeholder where the run belongs, and
    :func:`_unfold_runs` puts the run back; the result is the stdlib's, character for
    character (tested against the plain parser over the corpus and generated messages)."""
    if len(data) < FOLD_FROM_BYTES:
        return data, None
    nonce = secrets.token_hex(6)
    while nonce.encode() in data:
        nonce = secrets.token_hex(6)
    lines: list[str] = []

    def fold(match: re.Match[bytes]) -> bytes:
        run = match.group()
        lines.append(run.decode("ascii"))
        ending = b"\r\n" if run.endswith(b"\r\n") else b"\n"
        return f"Xpodpora{nonce}x{len(lines) - 1}".encode() + ending

    folded = _BASE64_RUN.sub(fold, data)
    if not lines:
        return data, None
    return folded, _Runs(nonce, lines)


def _unfold_runs(part: Message, runs: _Runs) -> None:
    """Put the runs back into every payload, preamble and epilogue of the tree."""

    def original(match: re.Match[str]) -> str:
        if match[1] != runs.nonce:
            return match[0]
        run = runs.lines[int(match[2])]
        return run if match[3] else run.removesuffix("\n").removesuffix("\r")

    def unfold(text: str | None) -> str | None:
        if not text or runs.nonce not in text:
            return text
        return _PLACEHOLDER.sub(original, text)

    stack = [part]
    while stack:
        part = stack.pop()
        part.preamble = unfold(part.preamble)
        part.epilogue = unfold(part.epilogue)
        payload = part._payload  # noqa: SLF001 - the parser's own attribute, set in place
        if isinstance(payload, list):
            stack.extend(p for p in payload if isinstance(p, Message))
        elif isinstance(payload, str):
            part._payload = unfold(payload)  # noqa: SLF001


def mime_tree(data: bytes, defects: list[str]) -> Message:
    """The MIME tree of ``data`` as ``policy.default`` parses it; ``defects`` gets what had
    to be repaired or given up."""
    data, repaired = _repair_header_block(data)
    if repaired:
        defects.append("RepairedHeaderBlock")
    try:
        return _parse_mime(data)
    except RecursionError:
        # MIME nested thousands deep: keep the headers, show the rest as text.
        defects.append("MimeTooDeep")
        return BytesParser(policy=_MemoPolicy()).parsebytes(data, headersonly=True)
    except Exception as exc:
        defects.append(f"PolicyDefaultFailed:{type(exc).__name__}")
        return BytesParser(policy=policy.compat32).parsebytes(data)
