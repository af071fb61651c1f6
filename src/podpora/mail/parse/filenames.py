"""Attachment names that are safe to show and to store on any filesystem."""

from __future__ import annotations

import mimetypes
import re
import unicodedata

MAX_FILENAME_LENGTH = 150
_MAX_FILENAME_BYTES = 240  # most filesystems allow 255 bytes per name

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
