"""Header values read raw and decoded our way: RFC 2047 encoded-words, RFC 2231
parameters, addresses, Message-IDs, dates (never through the stdlib header registry)."""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from .charsets import (
    _NOT_BASE64,
    DEFAULT_FALLBACK_CHARSET,
    _codec_name,
    _fix_8bit,
    _str_to_bytes,
    decode_bytes,
)
from .result import Address

# --------------------------------------------------------------------------- RFC 2047

_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,75})\?([QqBb])\?([^?]*)\?=")
_HEX_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


def _decode_word(charset: str, encoding: str, text: str) -> bytes | None:
    # Raw 8-bit bytes inside a word were already decoded with a guessed charset; encoding
    # them back with the word's own charset recovers the original byte in the usual case.
    raw = (
        text.encode(_codec_name(charset) or "utf-8", "replace")
        if not text.isascii()
        else text.encode()
    )
    if encoding in "Qq":
        raw = raw.replace(b"_", b" ")
        return _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    raw = raw.translate(None, _NOT_BASE64)
    raw += b"=" * (-len(raw) % 4)
    try:
        return binascii.a2b_base64(raw)
    except (binascii.Error, ValueError):
        return None


def decode_header_text(value: str, fallback: str = DEFAULT_FALLBACK_CHARSET) -> str:
    """Decode RFC 2047 encoded-words leniently (spaces inside words, bad padding, split
    multi-byte characters across adjacent words, unknown charsets)."""
    if "=?" not in value:
        return value
    out: list[str] = []
    pending_charset: str | None = None
    pending = b""
    pos = 0
    last_was_word = False

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending_charset is not None:
            out.append(decode_bytes(pending, pending_charset, fallback)[0])
        pending, pending_charset = b"", None

    for match in _ENCODED_WORD.finditer(value):
        between = value[pos : match.start()]
        data = _decode_word(match.group(1), match.group(2), match.group(3))
        if data is None:
            continue
        if not (last_was_word and not between.strip()):
            flush()
            out.append(between)
        charset = match.group(1).split("*", 1)[0].lower()
        if pending_charset is not None and charset != pending_charset:
            flush()
        pending_charset = charset
        pending += data
        pos = match.end()
        last_was_word = True
    flush()
    out.append(value[pos:])
    return "".join(out)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _clean_text(value: str) -> str:
    """One-line header text: no CR/LF/NUL (header injection), no other controls."""
    return _CONTROL.sub(" ", value)


_FOLD = re.compile(r"\r?\n(?=[ \t])")


def _unfold(value: str) -> str:
    if "\n" not in value and "\r" not in value:  # most values: skip three passes
        return value
    return _FOLD.sub("", value).replace("\r", "").replace("\n", "")


# --------------------------------------------------------------------------- parameters


def _split_params(value: str) -> list[str]:
    """Split a header value on ';' outside double quotes."""
    if '"' not in value:  # nothing quoted: the character loop below would do just this
        return value.split(";")
    pieces: list[str] = []
    buf: list[str] = []
    quoted = escaped = False
    for ch in value:
        if escaped:
            buf.append(ch)
            escaped = False
        elif ch == "\\" and quoted:
            buf.append(ch)
            escaped = True
        elif ch == '"':
            buf.append(ch)
            quoted = not quoted
        elif ch == ";" and not quoted:
            pieces.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    pieces.append("".join(buf))
    return pieces


_QUOTED_PAIR = re.compile(r"\\(.)")
_EXTENDED_NAME = re.compile(r"([^*]+)\*(?:(\d{1,3})(\*)?)?")  # RFC 2231: name*, name*0, name*0*


def _unquote(value: str) -> str:
    value = value.strip()
    if value.startswith('"'):
        value = value[1:]
        if value.endswith('"') and not value.endswith('\\"'):
            value = value[:-1]
        if "\\" in value:
            value = _QUOTED_PAIR.sub(r"\1", value)
    return value


def _percent_decode(value: str) -> bytes:
    raw = _str_to_bytes(value)
    return re.sub(rb"%([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def parse_header_params(value: str, fallback: str = DEFAULT_FALLBACK_CHARSET) -> dict[str, str]:
    """Parameters of a Content-Type / Content-Disposition value, decoded.

    Handles quoting, RFC 2231 (``name*=charset'lang'%xx`` and ``name*0*=`` continuations),
    RFC 2047 encoded-words inside quoted values (common, though not allowed) and raw
    8-bit values. The first token (the type itself) is not returned.
    """
    plain: dict[str, str] = {}
    extended: dict[str, dict[int, tuple[bool, str]]] = {}
    for piece in _split_params(value)[1:]:
        if "=" not in piece:
            continue
        name, _, val = piece.partition("=")
        name = name.strip().lower()
        if not name:
            continue
        val = _unquote(val)
        match = _EXTENDED_NAME.fullmatch(name) if "*" in name else None
        if match:
            base, number, star = match.groups()
            encoded = number is None or bool(star)
            segments = extended.setdefault(base, {})
            segments.setdefault(int(number or 0), (encoded, val))
        elif name not in plain:
            plain[name] = val
    params: dict[str, str] = {}
    for name, val in plain.items():
        params[name] = _clean_text(decode_header_text(_fix_8bit(val, fallback), fallback))
    for name, segments in extended.items():
        charset: str | None = None
        data = b""
        for index, (_number, (encoded, val)) in enumerate(sorted(segments.items())):
            if index == 0 and encoded and val.count("'") >= 2:
                charset, _lang, val = val.split("'", 2)
            data += _percent_decode(val) if encoded else _str_to_bytes(val)
        text = decode_bytes(data, charset, fallback)[0]
        params[name] = _clean_text(decode_header_text(text, fallback))
    return params


# --------------------------------------------------------------------------- header access


class _Headers:
    """Raw header access on one part, decoded our way (never through the header registry)."""

    def __init__(self, part: Message, fallback: str, hints: list[str] | None = None) -> None:
        self.fallback = fallback
        self.hints = hints if hints is not None else []
        # Values are decoded when asked for, not here: ``hints`` grows while the tree is
        # walked, and the top-level headers are read after the walk.
        self.by_name: dict[str, list[str]] = {}
        try:
            for name, value in part.raw_items():
                self.by_name.setdefault(str(name).strip().lower(), []).append(str(value))
        except Exception:
            self.by_name = {}

    def all(self, name: str) -> list[str]:
        return [
            _fix_8bit(_unfold(v), self.fallback, self.hints) for v in self.by_name.get(name, ())
        ]

    def raw(self, name: str) -> str | None:
        values = self.by_name.get(name)
        return _fix_8bit(_unfold(values[0]), self.fallback, self.hints) if values else None

    def text(self, name: str) -> str | None:
        value = self.raw(name)
        if value is None:
            return None
        return _clean_text(decode_header_text(value, self.fallback)).strip()

    def token(self, name: str) -> str | None:
        value = self.text(name)
        return value.lower() if value else None


# --------------------------------------------------------------------------- addresses, ids, dates

_SYSTEM_LOCAL_PART = re.compile(
    r"mailer-daemon|mail-daemon|mailerdaemon|postmaster|mail delivery subsystem|root|daemon",
    re.IGNORECASE,
)


def _plausible_address(addr: str, local_only: bool = False) -> bool:
    if not addr or len(addr) > 320 or _CONTROL.search(addr):
        return False
    if "@" not in addr:
        # "MAILER-DAEMON" with no domain is a common From of bounces; keep it there.
        return local_only and _SYSTEM_LOCAL_PART.fullmatch(addr) is not None
    if re.search(r"[<>(),;\[\]\\]", addr):
        return False
    return not re.search(r"\s", addr) or addr.startswith('"')


_BARE_ADDRESS = re.compile(r"[^\s<>()\[\],;:\\\"@]+@[^\s<>()\[\],;:\\\"@]+\.[^\s<>()\[\],;:\\\"@]+")


def _addresses(values: Iterable[str], fallback: str, local_only: bool = False) -> list[Address]:
    joined = ", ".join(values)
    if not joined.strip():
        return []
    try:
        pairs = getaddresses([joined])
    except Exception:
        pairs = []
    result: list[Address] = []
    for name, addr in pairs:
        addr = addr.strip()
        if not _plausible_address(addr, local_only):
            continue
        shown = _clean_text(decode_header_text(name, fallback)).strip()
        result.append((re.sub(r"\s+", " ", shown), addr))
    if not result:
        # Broken syntax such as "Jan Novak jan@example.cz": take what looks like an address.
        for match in _BARE_ADDRESS.finditer(joined):
            rest = joined[: match.start()] + joined[match.end() :]
            rest = re.sub(r"\(\s*\)|<\s*>", "", rest).strip(" \t\"',<>")
            shown = _clean_text(decode_header_text(rest, fallback)).strip()
            result.append((re.sub(r"\s+", " ", shown), match.group(0)))
    return result


_ID_IN_BRACKETS = re.compile(r"<([^<>]*)>")


MAX_ID_LENGTH = 255  # longer Message-IDs are dropped (idempotency falls back to raw_sha256)
MAX_IDS_SCANNED = 2000  # a References header with more is abuse; the tail is ignored


def message_ids(value: str | None) -> list[str]:
    """Message-IDs in a header value, without <>, de-duplicated, overlong ones dropped."""
    if not value:
        return []
    found = _ID_IN_BRACKETS.findall(value) or value.split()
    ids: dict[str, None] = {}
    for item in found[:MAX_IDS_SCANNED]:
        item = re.sub(r"\s+", "", _CONTROL.sub("", item)).strip("<>")
        if item and len(item) <= MAX_ID_LENGTH:
            ids.setdefault(item)
    return list(ids)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except Exception:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _return_path(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    inner = stripped[1:-1] if stripped.startswith("<") and stripped.endswith(">") else stripped
    inner = inner.strip()
    return inner if _plausible_address(inner) else ""
