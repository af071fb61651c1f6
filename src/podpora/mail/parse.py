"""Raw RFC 5322 bytes → a plain, immutable :class:`ParsedMessage`. Pure: no Django, no I/O.

Why it looks the way it does:

- Inbound mail is hostile and often broken, and "nothing is lost" is a design rule, so
  :func:`parse_message` never raises: every step degrades (a missing field, a defect string)
  instead of failing, and a last-resort fallback returns the raw text as the body.
- The stdlib parser (``policy.default``) decides the MIME *structure*; header values are read
  raw and decoded here, because real mail carries undeclared 8-bit bytes, unknown charsets
  and broken encoded-words that the stdlib either rejects or turns into mojibake. Text with
  no usable charset is decoded as UTF-8 if valid, else as windows-1250 (the legacy charset of
  Czech mail) with replacement characters, never by raising.
- Which parts are the body and which are attachments follows the JMAP algorithm
  (RFC 8621, 4.1.4), which Stalwart's parser also follows, so results are comparable with
  its corpus. Every part that is not body text becomes a :class:`ParsedAttachment`.
- Attachment names are made safe for any filesystem here, once (:func:`safe_filename`).
"""

from __future__ import annotations

import binascii
import codecs
import hashlib
import html as html_lib
import mimetypes
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email import policy
from email.generator import BytesGenerator
from email.message import Message
from email.parser import BytesParser, HeaderParser
from email.utils import getaddresses, parsedate_to_datetime
from io import BytesIO

from podpora.core.html import html_to_text

__all__ = [
    "DEFAULT_FALLBACK_CHARSET",
    "DEFAULT_MAX_RECIPIENTS",
    "DEFAULT_MAX_REFERENCES",
    "Address",
    "ParsedAttachment",
    "ParsedMessage",
    "decode_bytes",
    "decode_header_text",
    "message_ids",
    "parse_header_params",
    "parse_message",
    "safe_filename",
]

Address = tuple[str, str]  # (display name, addr-spec); the name may be ""

DEFAULT_MAX_RECIPIENTS = 100
DEFAULT_MAX_REFERENCES = 50
DEFAULT_FALLBACK_CHARSET = "windows-1250"
MAX_PARTS = 1000  # beyond this the rest of the tree is ignored (the raw message is kept)
MAX_DEPTH = 40  # multipart nesting we descend into
MAX_ID_LENGTH = 255  # longer Message-IDs are dropped (idempotency falls back to raw_sha256)
MAX_FILENAME_LENGTH = 150
_MAX_FILENAME_BYTES = 240  # most filesystems allow 255 bytes per name


@dataclass(frozen=True)
class ParsedAttachment:
    """One stored part: a file, an inline image, a forwarded message (.eml), a DSN report."""

    filename: str  # safe: no path, no control characters, never empty
    content_type: str  # lower-case "type/subtype" as declared (not sniffed)
    content: bytes = field(repr=False)  # transfer-decoding undone
    size: int
    sha256: str
    content_id: str | None = None  # without <>
    inline: bool = False  # shown in the body (cid: reference or inline media)
    original_filename: str | None = None  # decoded name from the message, unsanitised
    charset: str | None = None
    description: str | None = None  # Content-Description
    part_index: int = 0  # position in a depth-first walk of the MIME tree (0 = root)


@dataclass(frozen=True)
class ParsedMessage:
    """Everything ingestion needs from one message; all strings are decoded Unicode."""

    raw_sha256: str
    raw_size: int
    message_id: str | None  # without <>
    in_reply_to: str | None
    references: list[str]
    subject: str
    from_address: str | None
    from_name: str
    reply_to: list[Address]
    to: list[Address]
    cc: list[Address]
    date: datetime | None  # aware
    text_body: str
    html_body: str | None  # unsanitised; see podpora.core.html.sanitize_html
    attachments: list[ParsedAttachment]
    defects: list[str]
    to_capped: bool = False
    cc_capped: bool = False
    # Loop / auto-reply signals (see podpora.mail.loops):
    auto_submitted: str | None = None
    precedence: str | None = None
    x_loop: list[str] = field(default_factory=list)
    x_auto_response_suppress: str | None = None
    x_autoreply: str | None = None  # X-Autoreply, X-Autorespond and relatives
    return_path: str | None = None  # "" for the null path <>, None when absent
    list_id: str | None = None
    list_unsubscribe: str | None = None
    content_type: str = "text/plain"  # of the top-level part
    report_type: str | None = None  # multipart/report; report-type=...
    is_delivery_report: bool = False
    report_original_message_id: str | None = None


# --------------------------------------------------------------------------- charsets

_CHARSET_ALIASES = {
    "unicode-1-1-utf-7": "utf-7",
    "utf7": "utf-7",
    "iso-gb2312": "gb2312",
    "x-gbk": "gbk",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "x-sjis": "shift_jis",
    "x-euc-jp": "euc_jp",
    "x-mac-ce": "mac_latin2",
    "x-mac-roman": "mac_roman",
    "ansi_x3.4-1968": "ascii",
    "us-ascii": "ascii",
    "utf8": "utf-8",
    "latin2": "iso-8859-2",
    "cp-1250": "windows-1250",
    "win-1250": "windows-1250",
}
# What a declared charset is tried as, in order: the label itself, then its usual supersets
# or look-alikes (as WHATWG does: iso-8859-1 means windows-1252, gb2312 means gbk/gb18030).
_CODEC_CHAIN = {
    "iso8859-1": ["cp1252", "iso8859-1"],
    "gb2312": ["gb2312", "gb18030"],
    "gbk": ["gbk", "gb18030"],
    "big5": ["big5", "big5hkscs", "cp950"],
    "euc_kr": ["euc_kr", "cp949"],
    "iso2022_jp": ["iso2022_jp", "iso2022_jp_ext", "x-iso2022jp-ms"],
    "shift_jis": ["shift_jis", "cp932"],
    "euc_jp": ["euc_jp", "cp932"],
}
_ISO2022JP_ESCAPE = re.compile(rb"\x1b(\$[@B]|\([BJI])")


def _decode_iso2022jp_ms(data: bytes) -> str:
    """ISO-2022-JP with Microsoft's extensions (CP50220: circled digits, NEC row 13),
    which Python's strict codecs reject: convert JIS pairs to Shift_JIS, decode as cp932."""
    out = bytearray()
    double = False
    for index, chunk in enumerate(_ISO2022JP_ESCAPE.split(data)):
        if index % 2:
            double = chunk.startswith(b"$")
            continue
        if not double:
            out += chunk
            continue
        for i in range(0, len(chunk) - 1, 2):
            j1, j2 = chunk[i], chunk[i + 1]
            s1 = (j1 + 1) // 2 + (0x70 if j1 < 0x5F else 0xB0)
            s2 = j2 + (0x1F + (j2 >= 0x60) if j1 % 2 else 0x7E)
            out += bytes((s1 & 0xFF, s2 & 0xFF))
    return out.decode("cp932")


_NOT_CHARSETS = {"", "unknown-8bit", "x-unknown", "unknown", "default", "x-user-defined"}


def _codec_name(charset: str | None) -> str | None:
    """A Python text codec for a MIME charset label, or None if unusable."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").lower().split("*", 1)[0].strip()
    if label in _NOT_CHARSETS or len(label) > 40:
        return None
    label = _CHARSET_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, zlib, rot13 ...
        return None
    return info.name


_MULTIBYTE_CODECS = {
    "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "shift_jis", "cp932",
    "euc_jp", "iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2", "euc_kr", "cp949",
    "iso2022_kr", "johab",
}  # fmt: skip


def decode_bytes(
    data: bytes,
    charset: str | None,
    fallback: str = DEFAULT_FALLBACK_CHARSET,
    hints: Iterable[str] = (),
) -> tuple[str, bool]:
    """Decode ``data`` as ``charset``; return (text, whether we had to guess).

    Order: the declared charset (and its usual supersets), then UTF-8, then ``hints``
    (charsets declared elsewhere in the message: multi-byte ones first, since they reject
    foreign bytes, then the first single-byte one), then ``fallback`` with replacement
    characters. Never raises.
    """
    codec = _codec_name(charset)
    if codec:
        for candidate in _CODEC_CHAIN.get(codec, [codec]):
            try:
                if candidate == "x-iso2022jp-ms":
                    return _decode_iso2022jp_ms(data), False
                return data.decode(candidate), False
            except Exception:  # a wrong label is common; try the next one
                continue
    try:
        return data.decode("utf-8"), codec is not None or not data.isascii()
    except UnicodeDecodeError:
        pass
    hinted = [c for c in (_codec_name(h) for h in hints) if c and c not in ("ascii", "utf-8")]
    single = [c for c in hinted if c not in _MULTIBYTE_CODECS]
    for candidate in [c for c in hinted if c in _MULTIBYTE_CODECS] + single[:1]:
        for related in _CODEC_CHAIN.get(candidate, [candidate]):
            try:
                if related == "x-iso2022jp-ms":
                    return _decode_iso2022jp_ms(data), True
                return data.decode(related), True
            except Exception:
                continue
    try:
        return data.decode(_codec_name(fallback) or "cp1250", errors="replace"), True
    except Exception:
        return data.decode("latin-1"), True


def _str_to_bytes(value: str) -> bytes:
    """Undo the parser's surrogateescape so undeclared 8-bit header bytes can be re-decoded."""
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace")


def _fix_8bit(value: str, fallback: str, hints: Iterable[str] = ()) -> str:
    if value.isascii():
        return value
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value.encode("utf-8", "replace").decode("utf-8")
    return decode_bytes(_str_to_bytes(value), None, fallback, hints)[0]


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
    raw = re.sub(rb"[^A-Za-z0-9+/]", b"", raw)
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


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", value).replace("\r", "").replace("\n", "")


# --------------------------------------------------------------------------- parameters


def _split_params(value: str) -> list[str]:
    """Split a header value on ';' outside double quotes."""
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


def _unquote(value: str) -> str:
    value = value.strip()
    if value.startswith('"'):
        value = value[1:]
        if value.endswith('"') and not value.endswith('\\"'):
            value = value[:-1]
        value = re.sub(r"\\(.)", r"\1", value)
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
        match = re.fullmatch(r"([^*]+)\*(?:(\d{1,3})(\*)?)?", name)
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


# --------------------------------------------------------------------------- filenames

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)$", re.I)
_UNSAFE_CHARS = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
_EXTENSIONS = {
    "message/rfc822": ".eml",
    "message/global": ".eml",
    "message/delivery-status": ".txt",
    "message/global-delivery-status": ".txt",
    "message/disposition-notification": ".txt",
    "text/rfc822-headers": ".txt",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "image/jpeg": ".jpg",
    "image/jpg": ".jpg",
    "image/pjpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
    "application/ms-tnef": ".dat",
    "application/pgp-signature": ".asc",
    "application/pkcs7-signature": ".p7s",
    "application/x-pkcs7-signature": ".p7s",
}
_MIMETYPES = mimetypes.MimeTypes()  # built-in table only: the same on every machine


def _extension_for(content_type: str) -> str:
    ext = _EXTENSIONS.get(content_type)
    if ext is None:
        ext = _MIMETYPES.guess_extension(content_type, strict=False) or ".bin"
    return ext


def safe_filename(
    name: str | None, content_type: str = "application/octet-stream", index: int = 1
) -> str:
    """A name that is safe to show and to use as one path component on any OS.

    Strips directories (``../../etc/passwd`` → ``passwd``, ``C:\\x\\y`` → ``y``), control
    and bidi-override characters, characters Windows forbids, leading dots, runs of dots
    and Windows device names; caps the length at 150 characters (keeping the extension).
    Falls back to ``attachment-N.ext`` from the MIME type. Never empty, never contains
    ``/``, ``\\`` or ``..``.
    """
    cleaned = ""
    if name:
        text = unicodedata.normalize("NFC", str(name))
        text = "".join(
            " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") else ch
            for ch in text
        )
        text = re.split(r"[/\\]", text)[-1]
        text = _UNSAFE_CHARS.sub("_", text)
        text = re.sub(r"\s", " ", text)
        text = re.sub(r"\.{2,}", ".", text)
        text = text.strip(" .")
        stem, dot, ext = text.rpartition(".")
        if _WINDOWS_RESERVED.match(stem if dot else text):
            text = "_" + text
        cleaned = _shorten(text)
    if not cleaned or not any(ch.isalnum() for ch in cleaned):
        cleaned = f"attachment-{max(1, int(index))}{_extension_for(content_type)}"
    return cleaned


def _shorten(text: str) -> str:
    def fits(value: str) -> bool:
        return len(value) <= MAX_FILENAME_LENGTH and len(value.encode()) <= _MAX_FILENAME_BYTES

    if fits(text):
        return text
    stem, dot, ext = text.rpartition(".")
    if not dot or len(ext) > 16 or not stem:
        stem, ext = text, ""
    suffix = f".{ext}" if ext else ""
    while stem and not fits(stem + suffix):
        stem = stem[:-1]
    return (stem.rstrip(" .") + suffix).strip(" .")


# --------------------------------------------------------------------------- headers


class _Headers:
    """Raw header access on one part, decoded our way (never through the header registry)."""

    def __init__(self, part: Message, fallback: str, hints: list[str] | None = None) -> None:
        self.fallback = fallback
        self.hints = hints if hints is not None else []
        self.items: list[tuple[str, str]] = []
        try:
            for name, value in part.raw_items():
                self.items.append((str(name).strip().lower(), str(value)))
        except Exception:
            self.items = []

    def all(self, name: str) -> list[str]:
        return [
            _fix_8bit(_unfold(v), self.fallback, self.hints) for n, v in self.items if n == name
        ]

    def raw(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def text(self, name: str) -> str | None:
        value = self.raw(name)
        if value is None:
            return None
        return _clean_text(decode_header_text(value, self.fallback)).strip()

    def token(self, name: str) -> str | None:
        value = self.text(name)
        return value.lower() if value else None


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


# --------------------------------------------------------------------------- structure


@dataclass
class _Node:
    part: Message
    index: int
    ctype: str
    params: dict[str, str]
    headers: _Headers
    disposition: str | None
    filename: str | None
    children: list[_Node] | None = None


class _Walker:
    def __init__(self, fallback: str) -> None:
        self.fallback = fallback
        self.count = 0
        self.defects: list[str] = []
        self.truncated = False
        self.charsets: list[str] = []  # declared anywhere; hints for raw 8-bit headers
        self.stray_text: list[str] = []  # text after a closing boundary

    def build(self, part: Message, depth: int = 0) -> _Node:
        index = self.count
        self.count += 1
        self.defects.extend(type(d).__name__ for d in getattr(part, "defects", ()) or ())
        headers = _Headers(part, self.fallback, self.charsets)
        try:
            ctype = part.get_content_type()
        except Exception:
            ctype = "text/plain"
        raw_ctype = headers.raw("content-type") or ""
        params = parse_header_params(raw_ctype, self.fallback)
        charset = params.get("charset")
        if charset and charset not in self.charsets and len(self.charsets) < 10:
            self.charsets.append(charset)
        raw_disp = headers.raw("content-disposition") or ""
        disposition = raw_disp.split(";", 1)[0].strip().lower() or None
        disp_params = parse_header_params(raw_disp, self.fallback) if raw_disp else {}
        filename = disp_params.get("filename") or params.get("name") or None
        node = _Node(part, index, ctype, params, headers, disposition, filename)
        payload_is_list = isinstance(part._payload, list)  # the parsed payload, without a copy
        if ctype.startswith("multipart/"):
            if not payload_is_list:
                node.ctype = "text/plain"  # no usable boundary: show the text as it is
                return node
            node.children = []
            # Broken boundaries or a missing blank line leave text outside the parts.
            # A top-level preamble is the "This is a multi-part message" boilerplate.
            stray = [getattr(part, "epilogue", None)]
            if depth:
                stray.insert(0, getattr(part, "preamble", None))
            self.stray_text.extend(t for t in stray if isinstance(t, str) and t.strip())
            if depth < MAX_DEPTH:
                subparts = part.get_payload()
            else:
                self.defects.append("MimeTooDeep")
                subparts = _descendant_leaves(part)
            for sub in subparts:
                if self.count >= MAX_PARTS:
                    if not self.truncated:
                        self.defects.append("TooManyParts")
                        self.truncated = True
                    break
                if isinstance(sub, Message):
                    node.children.append(self.build(sub, min(depth + 1, MAX_DEPTH)))
        return node


def _descendant_leaves(part: Message) -> list[Message]:
    """Non-multipart parts below ``part``, in order, without recursion (for absurd depth)."""
    leaves: list[Message] = []
    stack = list(reversed(part.get_payload()))
    while stack and len(leaves) < MAX_PARTS:
        current = stack.pop()
        payload = getattr(current, "_payload", None)
        if isinstance(current, Message) and current.get_content_maintype() == "multipart":
            if isinstance(payload, list):
                stack.extend(reversed(payload))
                continue
        leaves.append(current)
    return leaves


_INLINE_MEDIA = ("image/", "audio/", "video/")


def _is_inline_media(ctype: str) -> bool:
    return ctype.startswith(_INLINE_MEDIA)


def _jmap_structure(
    parts: list[_Node],
    multipart_type: str,
    in_alternative: bool,
    html_body: list[_Node] | None,
    text_body: list[_Node] | None,
    attachments: list[_Node],
) -> None:
    """RFC 8621 4.1.4 parseStructure, transcribed; lists are mutated in place."""
    text_length = len(text_body) if text_body is not None else -1
    html_length = len(html_body) if html_body is not None else -1
    for i, part in enumerate(parts):
        is_multipart = part.children is not None
        is_inline = (
            part.disposition != "attachment"
            and (part.ctype in ("text/plain", "text/html") or _is_inline_media(part.ctype))
            and (
                i == 0
                or (
                    multipart_type != "related"
                    and (_is_inline_media(part.ctype) or not part.filename)
                )
            )
        )
        if is_multipart:
            sub_type = part.ctype.split("/", 1)[1]
            _jmap_structure(
                part.children or [],
                sub_type,
                in_alternative or sub_type == "alternative",
                html_body,
                text_body,
                attachments,
            )
        elif is_inline:
            if multipart_type == "alternative":
                if part.ctype == "text/plain" and text_body is not None:
                    text_body.append(part)
                elif part.ctype == "text/html" and html_body is not None:
                    html_body.append(part)
                else:
                    attachments.append(part)
                continue
            if in_alternative:
                if part.ctype == "text/plain":
                    html_body = None
                if part.ctype == "text/html":
                    text_body = None
            if text_body is not None:
                text_body.append(part)
            if html_body is not None:
                html_body.append(part)
            if (text_body is None or html_body is None) and _is_inline_media(part.ctype):
                attachments.append(part)
        else:
            attachments.append(part)
    if multipart_type == "alternative" and text_body is not None and html_body is not None:
        if text_length == len(text_body) and html_length != len(html_body):
            text_body.extend(html_body[html_length:])
        if html_length == len(html_body) and text_length != len(text_body):
            html_body.extend(text_body[text_length:])


def _leaves(node: _Node) -> Iterable[_Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.children is None:
            yield current
        else:
            stack.extend(reversed(current.children))


# --------------------------------------------------------------------------- bodies

_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def _decode_base64(text: str) -> bytes:
    """Lenient base64: ignores junk characters and a dangling final character, and stops
    at the first padding (what follows is usually a signature or garbage)."""
    data = _str_to_bytes(text).split(b"=", 1)[0]
    clean = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
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


# --------------------------------------------------------------------------- the message


def _nested_subject(part: Message, fallback: str) -> str | None:
    try:
        payload = part.get_payload()
    except Exception:
        return None
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return _Headers(payload[0], fallback).text("subject") or None
    return None


def _embedded_message_id(node: _Node, fallback: str) -> str | None:
    """Message-ID of the original message inside a DSN (message/rfc822 or headers part)."""
    try:
        if node.ctype in ("message/rfc822", "message/global"):
            payload = node.part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                ids = message_ids(_Headers(payload[0], fallback).raw("message-id"))
                return ids[0] if ids else None
        if node.ctype in ("text/rfc822-headers", "message/global-headers"):
            data = _payload_bytes(node.part)
            headers = HeaderParser(policy=policy.compat32).parsestr(
                decode_bytes(data, None, fallback)[0]
            )
            ids = message_ids(_Headers(headers, fallback).raw("message-id"))
            return ids[0] if ids else None
    except Exception:
        return None
    return None


def _html_of(nodes: list[_Node], decoder: _Decoder) -> str | None:
    if not any(n.ctype == "text/html" for n in nodes):
        return None
    chunks: list[str] = []
    for node in nodes:
        if node.ctype == "text/html":
            chunks.append(decoder.text(node))
        elif node.ctype == "text/plain":
            escaped = html_lib.escape(decoder.text(node))
            chunks.append(f'<div style="white-space: pre-wrap">{escaped}</div>')
    return "\n".join(chunks)


def _text_of(nodes: list[_Node], decoder: _Decoder) -> str:
    chunks: list[str] = []
    for node in nodes:
        if node.ctype == "text/plain":
            chunks.append(decoder.text(node))
        elif node.ctype == "text/html":
            chunks.append(html_to_text(decoder.text(node)))
    return (
        "\n".join(chunk for chunk in chunks if chunk.strip())
        if len(chunks) > 1
        else "".join(chunks)
    )


def _attachment(node: _Node, number: int, fallback: str, linesep: str) -> ParsedAttachment:
    if node.ctype.startswith("message/"):
        content = _flatten_body(node.part, linesep)
    else:
        content = _payload_bytes(node.part)
    description = node.headers.text("content-description") or None
    name = node.filename
    if not name and node.ctype in ("message/rfc822", "message/global"):
        subject = _nested_subject(node.part, fallback)
        name = f"{subject}.eml" if subject else None
    content_id = node.headers.text("content-id")
    content_id = content_id.strip().strip("<>").strip() if content_id else None
    if not name and content_id:
        # Outlook names inline images only in the Content-ID: <image001.png@01D3...>
        local = content_id.split("@", 1)[0]
        if re.fullmatch(r"[\w .-]{1,100}\.[A-Za-z0-9]{2,5}", local):
            name = local
    if not name and description and len(description) <= 100:
        name = description + _extension_for(node.ctype)
    return ParsedAttachment(
        filename=safe_filename(name, node.ctype, number),
        content_type=node.ctype,
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content_id=(content_id or None) if content_id and len(content_id) <= 255 else None,
        inline=False,
        original_filename=node.filename,
        charset=node.params.get("charset"),
        description=description,
        part_index=node.index,
    )


def _cap(addresses: list[Address], limit: int) -> tuple[list[Address], bool]:
    if limit >= 0 and len(addresses) > limit:
        return addresses[:limit], True
    return addresses, False


_BOUNDARY_DEFECTS = {
    "StartBoundaryNotFoundDefect",
    "CloseBoundaryNotFoundDefect",
    "MultipartInvariantViolationDefect",
    "MissingHeaderBodySeparatorDefect",
}
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
    head_end = len(data)
    for separator in (b"\r\n\r\n", b"\n\n"):
        position = data.find(separator)
        if position != -1:
            head_end = min(head_end, position)
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


def _parse(raw: bytes, max_recipients: int, max_references: int, fallback: str) -> ParsedMessage:
    defects: list[str] = []
    data = raw
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = data.lstrip(b"\r\n")
    first_break = data.find(b"\n")
    linesep = "\r\n" if first_break > 0 and data[first_break - 1 : first_break] == b"\r" else "\n"
    data, repaired = _repair_header_block(data)
    if repaired:
        defects.append("RepairedHeaderBlock")
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except RecursionError:
        # MIME nested thousands deep: keep the headers, show the rest as text.
        defects.append("MimeTooDeep")
        message = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    except Exception as exc:
        defects.append(f"PolicyDefaultFailed:{type(exc).__name__}")
        message = BytesParser(policy=policy.compat32).parsebytes(data)

    walker = _Walker(fallback)
    root = walker.build(message)
    defects.extend(walker.defects)
    top = root.headers

    text_nodes: list[_Node] = []
    html_nodes: list[_Node] = []
    attachment_nodes: list[_Node] = []
    _jmap_structure([root], "mixed", False, html_nodes, text_nodes, attachment_nodes)

    decoder = _Decoder(fallback, defects)
    text_body = _text_of(text_nodes, decoder)
    html_body = _html_of(html_nodes, decoder)
    if not text_body and html_body:
        text_body = html_to_text(html_body)
    if walker.stray_text and _BOUNDARY_DEFECTS.intersection(walker.defects):
        # Only for broken structure: well-formed mail keeps boilerplate in these places.
        defects.append("TextOutsideParts")
        stray = "\n\n".join(
            _fix_8bit(t, fallback, walker.charsets).replace("\r\n", "\n").strip()
            for t in walker.stray_text
        )
        text_body = f"{text_body.rstrip()}\n\n{stray}" if text_body.strip() else stray

    body_texts = {
        n.index for n in text_nodes + html_nodes if n.ctype in ("text/plain", "text/html")
    }
    in_body = {n.index for n in text_nodes + html_nodes}
    referenced = (html_body or "").lower()
    attachments: list[ParsedAttachment] = []
    delivery_report = False
    original_id: str | None = None
    for node in _leaves(root):
        if node.index in body_texts:
            continue
        if node.ctype in ("message/delivery-status", "message/global-delivery-status"):
            delivery_report = True
        if original_id is None and node.ctype in (
            "message/rfc822",
            "message/global",
            "text/rfc822-headers",
            "message/global-headers",
        ):
            original_id = _embedded_message_id(node, fallback)
        attachment = _attachment(node, len(attachments) + 1, fallback, linesep)
        cid_used = bool(attachment.content_id) and (
            f"cid:{attachment.content_id}".lower() in referenced
        )
        inline = node.disposition != "attachment" and (node.index in in_body or cid_used)
        if inline:
            attachment = replace(attachment, inline=True)
        attachments.append(attachment)

    report_type = root.params.get("report-type", "").lower() or None
    if root.ctype == "multipart/report" and report_type == "delivery-status":
        delivery_report = True

    from_list = _addresses(top.all("from"), fallback, local_only=True)
    if not from_list:
        from_list = _addresses(top.all("sender"), fallback, local_only=True)
    to, to_capped = _cap(_addresses(top.all("to"), fallback), max_recipients)
    cc, cc_capped = _cap(_addresses(top.all("cc"), fallback), max_recipients)
    if to_capped or cc_capped:
        defects.append("RecipientsCapped")
    reply_to, _ = _cap(_addresses(top.all("reply-to"), fallback), max_recipients)

    own_ids = message_ids(top.raw("message-id"))
    message_id = own_ids[0] if own_ids else None
    in_reply_to_ids = message_ids(top.raw("in-reply-to"))
    references = [r for r in message_ids(" ".join(top.all("references"))) if r != message_id]
    if max_references >= 1 and len(references) > max_references:
        references = references[:1] + references[-(max_references - 1) :]
        defects.append("ReferencesCapped")

    autoreply = None
    for name in (
        "x-autoreply",
        "x-autorespond",
        "x-autoreply-from",
        "x-mail-autoreply",
        "x-autogenerated",
    ):
        value = top.text(name)
        if value is not None:
            autoreply = value or name
            break

    return ParsedMessage(
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        raw_size=len(raw),
        message_id=message_id,
        in_reply_to=in_reply_to_ids[0] if in_reply_to_ids else None,
        references=references,
        subject=top.text("subject") or "",
        from_address=from_list[0][1] if from_list else None,
        from_name=from_list[0][0] if from_list else "",
        reply_to=reply_to,
        to=to,
        cc=cc,
        to_capped=to_capped,
        cc_capped=cc_capped,
        date=_date(top.raw("date")),
        text_body=text_body,
        html_body=html_body,
        attachments=attachments,
        defects=list(dict.fromkeys(defects)),
        auto_submitted=top.token("auto-submitted"),
        precedence=top.token("precedence"),
        x_loop=[_clean_text(v).strip() for v in top.all("x-loop")],
        x_auto_response_suppress=top.text("x-auto-response-suppress"),
        x_autoreply=autoreply,
        return_path=_return_path(top.raw("return-path")),
        list_id=top.text("list-id"),
        list_unsubscribe=top.text("list-unsubscribe"),
        content_type=root.ctype,
        report_type=report_type,
        is_delivery_report=delivery_report,
        report_original_message_id=original_id if delivery_report else None,
    )


def _fallback_message(raw: bytes, error: BaseException, fallback: str) -> ParsedMessage:
    """Last resort when the MIME parser itself breaks: keep the text, flag the defect."""
    text = decode_bytes(raw[:1_000_000], None, fallback)[0]
    return ParsedMessage(
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        raw_size=len(raw),
        message_id=None,
        in_reply_to=None,
        references=[],
        subject="",
        from_address=None,
        from_name="",
        reply_to=[],
        to=[],
        cc=[],
        date=None,
        text_body=text.replace("\r\n", "\n").replace("\x00", ""),
        html_body=None,
        attachments=[],
        defects=[f"Unparseable:{type(error).__name__}"],
    )


def parse_message(
    raw: bytes,
    *,
    max_recipients: int = DEFAULT_MAX_RECIPIENTS,
    max_references: int = DEFAULT_MAX_REFERENCES,
    fallback_charset: str = DEFAULT_FALLBACK_CHARSET,
) -> ParsedMessage:
    """Parse one raw message. Never raises on any bytes (see module docstring).

    ``max_recipients`` caps To and Cc each (a 10,000-address Cc must not subscribe 10,000
    people); ``to_capped`` / ``cc_capped`` say it happened.
    """
    if isinstance(raw, str):
        raw = _str_to_bytes(raw)
    raw = bytes(raw)
    try:
        return _parse(raw, max_recipients, max_references, fallback_charset)
    except Exception as exc:  # a bug or a stdlib parser failure must not lose the message
        return _fallback_message(raw, exc, fallback_charset)
