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

Layout: ``message`` (the entry point) uses ``mime`` (bytes → the stdlib's tree), ``structure``
(our nodes, the JMAP body/attachment choice), ``bodies`` (payload decoding), ``headers``
(header values), ``filenames`` and ``charsets``; ``result`` holds the returned dataclasses.
"""

from __future__ import annotations

from .charsets import DEFAULT_FALLBACK_CHARSET, decode_bytes
from .filenames import MAX_FILENAME_LENGTH, safe_filename
from .headers import (
    MAX_ID_LENGTH,
    MAX_IDS_SCANNED,
    decode_header_text,
    message_ids,
    parse_header_params,
)
from .message import DEFAULT_MAX_RECIPIENTS, DEFAULT_MAX_REFERENCES, parse_message
from .result import Address, ParsedAttachment, ParsedMessage
from .structure import MAX_DEPTH, MAX_PARTS

__all__ = [
    "DEFAULT_FALLBACK_CHARSET",
    "DEFAULT_MAX_RECIPIENTS",
    "DEFAULT_MAX_REFERENCES",
    "MAX_DEPTH",
    "MAX_FILENAME_LENGTH",
    "MAX_IDS_SCANNED",
    "MAX_ID_LENGTH",
    "MAX_PARTS",
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
