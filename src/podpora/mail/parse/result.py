"""What the parser returns: plain, immutable values (no ``email`` objects leak out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

Address = tuple[str, str]  # (display name, addr-spec); the name may be ""


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
