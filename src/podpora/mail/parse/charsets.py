"""Bytes → text for any charset label found in real mail, guessing when there is none."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

DEFAULT_FALLBACK_CHARSET = "windows-1250"

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


# Every byte outside the base64 alphabet, for ``bytes.translate(None, _NOT_BASE64)``: strips
# junk from lenient base64 in one C pass (a regex substitution was ten times slower).
_NOT_BASE64 = bytes(
    sorted(
        set(range(256)) - set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    )
)


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
