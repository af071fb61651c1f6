"""Part bodies: transfer decoding, forwarded messages as bytes, text parts as Unicode."""

from __future__ import annotations

import binascii
import re
from email import policy
from email.generator import BytesGenerator
from email.message import Message
from io import BytesIO

from .charsets import _NOT_BASE64, _str_to_bytes, decode_bytes
from .structure import _Node

_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def _decode_base64(text: str) -> bytes:
    """Lenient base64: ignores junk characters and a dangling final character, and stops
    at the first padding (what follows is usually a signature or garbage)."""
    data = _str_to_bytes(text)
    padding = data.find(b"=")
    clean = (data if padding == -1 else data[:padding]).translate(None, _NOT_BASE64)
    if len(clean) % 4 == 1:
        clean = clean[:-1]
    try:
        return binascii.a2b_base64(clean + b"=" * (-len(clean) % 4))
    except (binascii.Error, ValueError):
        return b""


def _decode_uu(raw: bytes) -> bytes:
    """Lenient uudecode (the stdlib ``uu`` module is deprecated and strict)."""
    out = bytearray()
    started = False
    for line in raw.splitlines():
        if not started:
            started = line.startswith(b"begin ")
            continue
        line = line.rstrip(b"\r\n")
        if line.strip() == b"end":
            break
        if not line.strip():
            continue
        try:
            out += binascii.a2b_uu(line)
        except (binascii.Error, ValueError):
            length = (((line[0] - 32) & 63) * 4 + 5) // 3
            try:
                out += binascii.a2b_uu(line[:length])
            except (binascii.Error, ValueError):
                continue
    return bytes(out) if started else raw


def _transfer_encoding(part: Message) -> str:
    for name, value in part.raw_items():
        if name.lower() == "content-transfer-encoding":
            return str(value).strip().lower()
    return ""


def _payload_bytes(part: Message) -> bytes:
    """The part's body with the transfer encoding undone, tolerantly (a CTE value with
    trailing junk, base64 of a wrong length, QP with bad escapes all still decode)."""
    try:
        payload = part._payload  # the undecoded text, without a copy
        if not isinstance(payload, str):
            return b""
        cte = _transfer_encoding(part)
        if cte == "base64":
            return _decode_base64(payload)
        raw = _str_to_bytes(payload)
        if cte == "quoted-printable":
            return binascii.a2b_qp(raw)
        if cte in ("x-uuencode", "uuencode", "uue", "x-uue"):
            return _decode_uu(raw)
        return raw
    except Exception:
        return b""


class _RawHeaderGenerator(BytesGenerator):
    """Writes headers exactly as received (the stock generators refold them), and skips
    the outermost part's own headers so only its body comes out."""

    _skip_outer = True

    def clone(self, fp: BytesIO) -> _RawHeaderGenerator:  # type: ignore[override]
        generator = super().clone(fp)
        generator._skip_outer = False
        return generator  # type: ignore[return-value]

    def _write_headers(self, msg: Message) -> None:
        if self._skip_outer:
            self._skip_outer = False
            return
        newline = _str_to_bytes(self._NL)  # type: ignore[attr-defined]
        for name, value in msg.raw_items():
            line = f"{name}: {value}" if value else f"{name}:"
            self._fp.write(_str_to_bytes(line) + newline)  # type: ignore[attr-defined]
        self._fp.write(newline)  # type: ignore[attr-defined]


def _flatten_body(part: Message, linesep: str) -> bytes:
    """Bytes of a message/* part's body (a forwarded message, a DSN report)."""
    try:
        buffer = BytesIO()
        generator = _RawHeaderGenerator(
            buffer, mangle_from_=False, policy=policy.compat32.clone(linesep=linesep)
        )
        generator.flatten(part)
        data = buffer.getvalue()
        return data if data.strip() else b""
    except Exception:
        return _payload_bytes(part)


def _unflow(text: str, delsp: bool) -> str:
    """Join RFC 3676 format=flowed soft line breaks."""
    out: list[str] = []
    current: str | None = None
    current_depth = -1
    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if current is not None and depth == current_depth:
            current += content
        else:
            if current is not None:
                out.append(">" * current_depth + (" " if current_depth else "") + current)
            current, current_depth = content, depth
        if content.endswith(" ") and content != "-- ":
            if delsp:
                current = current[:-1]
        else:
            out.append(">" * current_depth + (" " if current_depth else "") + current)
            current, current_depth = None, -1
    if current is not None:
        out.append(">" * current_depth + (" " if current_depth else "") + current)
    return "\n".join(out)


_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _Decoder:
    """Decodes text parts once each (a part is often both the text and the HTML body)."""

    def __init__(self, fallback: str, defects: list[str]) -> None:
        self.fallback = fallback
        self.defects = defects
        self.cache: dict[int, str] = {}

    def text(self, node: _Node) -> str:
        if node.index not in self.cache:
            self.cache[node.index] = self._decode(node)
        return self.cache[node.index]

    def _decode(self, node: _Node) -> str:
        data = _payload_bytes(node.part)
        charset = node.params.get("charset")
        if not charset and node.ctype == "text/html":
            meta = _META_CHARSET.search(data[:4096])
            charset = meta.group(1).decode("ascii") if meta else None
        text, guessed = decode_bytes(data, charset, self.fallback)
        if guessed and not data.isascii():
            self.defects.append(f"CharsetGuessed:{(charset or 'none')[:40]}")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _BODY_CONTROL.sub("", text)
        if node.ctype == "text/plain" and node.params.get("format", "").lower() == "flowed":
            text = _unflow(text, node.params.get("delsp", "").lower() == "yes")
        return text
