"""The MIME tree as our own nodes, and which parts are body and which attachments (JMAP)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message

from .headers import _Headers, parse_header_params

MAX_PARTS = 1000  # beyond this the rest of the tree is ignored (the raw message is kept)
MAX_DEPTH = 40  # multipart nesting we descend into


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
