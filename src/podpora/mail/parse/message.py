"""Raw bytes → :class:`ParsedMessage`: the one entry point, :func:`parse_message`."""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import replace
from email import policy
from email.message import Message
from email.parser import HeaderParser

from podpora.core.html import html_to_text

from .bodies import _Decoder, _flatten_body, _payload_bytes
from .charsets import DEFAULT_FALLBACK_CHARSET, _fix_8bit, _str_to_bytes, decode_bytes
from .filenames import _extension_for, safe_filename
from .headers import _addresses, _clean_text, _date, _Headers, _return_path, message_ids
from .mime import mime_tree
from .result import Address, ParsedAttachment, ParsedMessage
from .structure import _jmap_structure, _leaves, _Node, _Walker

DEFAULT_MAX_RECIPIENTS = 100
DEFAULT_MAX_REFERENCES = 50


def _nested_subject(part: Message, fallback: str) -> str | None:
    try:
        payload = part.get_payload()
    except Exception:
        return None
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return _Headers(payload[0], fallback).text("subject") or None
    return None


def _embedded_message_id(node: _Node, fallback: str, payload: bytes | None) -> str | None:
    """Message-ID of the original message inside a DSN (message/rfc822 or headers part);
    ``payload`` is the part's decoded body when the caller has it already."""
    try:
        if node.ctype in ("message/rfc822", "message/global"):
            payload = node.part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                ids = message_ids(_Headers(payload[0], fallback).raw("message-id"))
                return ids[0] if ids else None
        if node.ctype in ("text/rfc822-headers", "message/global-headers"):
            data = _payload_bytes(node.part) if payload is None else payload
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


def _attachment(
    node: _Node, number: int, fallback: str, linesep: str, payload: bytes | None
) -> ParsedAttachment:
    if node.ctype.startswith("message/"):
        content = _flatten_body(node.part, linesep)
    else:
        content = _payload_bytes(node.part) if payload is None else payload
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


def _parse(raw: bytes, max_recipients: int, max_references: int, fallback: str) -> ParsedMessage:
    defects: list[str] = []
    data = raw
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = data.lstrip(b"\r\n")
    first_break = data.find(b"\n")
    linesep = "\r\n" if first_break > 0 and data[first_break - 1 : first_break] == b"\r" else "\n"
    message = mime_tree(data, defects)

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
    referenced: str | None = None  # the HTML body lower-cased, made when a Content-ID asks
    attachments: list[ParsedAttachment] = []
    delivery_report = False
    original_id: str | None = None
    for node in _leaves(root):
        if node.index in body_texts:
            continue
        if node.ctype in ("message/delivery-status", "message/global-delivery-status"):
            delivery_report = True
        # Decoded once for both uses below (message/* parts are flattened instead).
        payload = None if node.ctype.startswith("message/") else _payload_bytes(node.part)
        if original_id is None and node.ctype in (
            "message/rfc822",
            "message/global",
            "text/rfc822-headers",
            "message/global-headers",
        ):
            original_id = _embedded_message_id(node, fallback, payload)
        attachment = _attachment(node, len(attachments) + 1, fallback, linesep, payload)
        cid_used = False
        if attachment.content_id:
            if referenced is None:
                referenced = (html_body or "").lower()
            cid_used = f"cid:{attachment.content_id}".lower() in referenced
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
