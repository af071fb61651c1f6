"""Split an HTML reply into what the person just wrote and the quoted history. Pure.

The HTML counterpart of :func:`.quoting.split_reply`. Mail clients mark the quoted
history in their HTML far more reliably than in the text part, so we look for those
marks: Gmail's ``div.gmail_quote``, ``blockquote type="cite"`` (Apple Mail,
Thunderbird), Thunderbird's ``div.moz-cite-prefix``, Outlook's ``#divRplyFwdMsg``,
``#appendonsend`` and bordered header block, Yahoo's ``div.yahoo_quoted``, Zimbra's
``hr#zwchr``, GMX's ``div[name=quote]``, a "-----Původní zpráva-----" separator, a
border-less "Od:/Odesláno:" header block, and our own ``##- ... -##`` marker line. The
earliest wins.

The document is cut there, in document order: the mark, everything after it, and the
ancestors' following siblings go to the quoted part; ancestors are cloned into both parts
as empty shells, so each part is a well-formed fragment of ``<body>``. Nothing is dropped
but ``<head>``. When in doubt (no text above the mark, text outside the quote after a
quote container, which means an inline reply, a parse that lost content, huge input) the
message is not split: ``(html, "")``. Neither part is sanitised; the caller does that.
"""

from __future__ import annotations

import copy
import html as html_lib
import itertools
import re
from collections.abc import Iterator

import lxml.html
from lxml import etree

from .quoting import SEPARATOR

__all__ = ["MAX_HTML_CHARS", "MAX_NODES", "split_html"]

#: Larger bodies are shown whole: parsing and walking them is not worth the time.
MAX_HTML_CHARS = 2_000_000
#: So is a body of more nodes than this (the walk costs some microseconds a node).
MAX_NODES = 50_000

_CONTAINER_CLASSES = {
    "gmail_quote",
    "gmail_quote_container",
    "moz-cite-prefix",
    "moz-forward-container",
    "yahoo_quoted",
    "protonmail_quote",
}
_HEADER_IDS = {
    "divrplyfwdmsg",
    "appendonsend",
    "zwchr",
    "olk_src_body_section",
    "mail-editor-reference-message-container",
}
# Not quoted history but may follow it in a reply: does not make the reply "inline".
_TRAILER_CLASSES = {"moz-signature"}
_INVISIBLE_TAGS = {"style", "script", "title", "template", "head"}

_MARKER = re.compile(r"##-[^\n]{0,200}?-##")
_SEPARATOR = re.compile(SEPARATOR, re.IGNORECASE)
_HEADER_BLOCK = re.compile(
    r"^(?:Od|From|Von)\s*:.{0,400}?\b(?:Odesl[áa]no|Odoslan[ée]|Sent|Date|Datum|D[áa]tum|"
    r"Gesendet|Komu|P[řr]edm[ěe]t|Predmet|Subject|Betreff)\s*:",
    re.IGNORECASE | re.DOTALL,
)
_HEADER_LINES = 4  # "Od:" and the next label are on adjacent lines, give or take a blank one
_HEADER_LABEL = re.compile(r"^\s*(?:Od|From|Von)\s*:", re.IGNORECASE)
_BORDER_TOP = re.compile(r"border-top:solid", re.IGNORECASE)
# An attribution line standing just above a quote ("On ... wrote:", "Dne ... napsal(a):",
# Apple Mail's "12. 11. 2026 v 10:16, Jana Nová <jana@firma.cz>:").
_ATTRIBUTION = re.compile(
    r"(?:wrote|nap[íi]?sal(?:a|\(a\))?|schrieb|a écrit|escribió)(?:\s[^:]{0,160})?\s*:$"
    r"|^\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4},?\s+(?:[vo]|at|um)\s+\d{1,2}:\d{2}\b.{0,200}:$",
    re.IGNORECASE,
)
_BLANK = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_BLOCK_TAGS = {"div", "p", "td", "th", "li", "blockquote", "pre", "table", "section", "article"}
_CUT_TAG = "podpora-cut"


def split_html(html: str) -> tuple[str, str]:
    """Return ``(new_html, quoted_html)``, both fragments of ``<body>``.

    ``quoted_html`` is what the UI folds away; ``("<the input>", "")`` when there is no
    quote, when the quote starts the message, or when anything looks off.
    """
    if not html or len(html) > MAX_HTML_CHARS:
        return html, ""
    try:
        return _split(html) or (html, "")
    except Exception:  # the heuristics must never cost us the message
        return html, ""


def _split(html: str) -> tuple[str, str] | None:
    parser = lxml.html.HTMLParser(encoding="utf-8")
    document = lxml.html.document_fromstring(html.replace("\x00", "\ufffd").encode(), parser)
    if any(error.level_name == "FATAL" for error in parser.error_log):
        return None  # e.g. nesting past libxml2's depth limit: the tree lacks content
    body = _whole_body(document)
    if body is None or sum(1 for _ in body.iter()) > MAX_NODES:
        return None
    found = _find_mark(body)
    if found is None:
        return None
    mark, container = found
    if container and _has_loose_text_after(mark, body):
        return None  # text after the quote outside any quote: an inline or bottom reply
    cut = _include_preamble(mark, body)
    new, quoted = _cut(body, cut)
    if not _has_content(new) or not _has_content(quoted):
        return None
    return _inner_html(new), _inner_html(quoted)


def _whole_body(document: etree._Element) -> etree._Element | None:
    """``<body>`` with what libxml2 left after it (a gateway's footer after ``</body>``)."""
    body = document.find("body")
    if body is None or _visible(document.text or ""):
        return None
    for before in body.itersiblings(preceding=True):
        if (before.tag != "head" and _has_content(before)) or _visible(before.tail or ""):
            return None
    if body.tail:
        if len(body):
            body[-1].tail = (body[-1].tail or "") + body.tail
        else:
            body.text = (body.text or "") + body.tail
        body.tail = None
    for after in list(body.itersiblings()):
        body.append(after)
    return body


def _find_mark(body: etree._Element) -> tuple[etree._Element, bool] | None:
    """The first node where quoted history starts, and whether it is a quote container."""
    for element, slot in _walk(body):
        if slot == "start" and element is not body:
            kind = _element_kind(element)
            if kind is not None:
                return element, kind == "container"
        elif slot == "text" and element.tag not in _INVISIBLE_TAGS:
            mark = _text_mark(element, "text")
            if mark is not None:
                return mark, False
        elif slot == "tail" and element is not body:
            mark = _text_mark(element, "tail")
            if mark is not None:
                return mark, False
    return None


def _walk(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """``(node, slot)`` in document order, comments included (``iterwalk`` skips them)."""
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        if finished:
            if node.tail:
                yield node, "tail"
            continue
        stack.append((node, True))
        if not isinstance(node.tag, str):  # comment or processing instruction
            continue
        yield node, "start"
        if node.text:
            yield node, "text"
        stack.extend((child, False) for child in reversed(node))


def _element_kind(element: etree._Element) -> str | None:
    tag = element.tag
    if not isinstance(tag, str):
        return None
    classes = set((element.get("class") or "").lower().split())
    if classes & _CONTAINER_CLASSES or any(c.endswith("yahoo_quoted") for c in classes):
        return "container"
    if tag == "blockquote" and (element.get("type") or "").lower() == "cite":
        return "container"
    if tag == "div" and element.get("name") == "quote":  # GMX, web.de
        return "container"
    if (element.get("id") or "").lower() in _HEADER_IDS:
        return "header"
    style = re.sub(r"\s+", "", element.get("style") or "")
    if tag in ("div", "p") and _BORDER_TOP.search(style):
        if _HEADER_BLOCK.match(_normalised(_text_from(element, max_lines=_HEADER_LINES))):
            return "header"
    return None


def _text_mark(owner: etree._Element, slot: str) -> etree._Element | None:
    """A marker, separator or header block starting a line of the owner's text or tail.

    Returns the element to cut at; a line inside a text node gets a cut element inserted.
    """
    text = owner.text if slot == "text" else owner.tail
    assert text is not None
    for pattern in (_MARKER, _SEPARATOR):
        for match in pattern.finditer(text):
            start = text.rfind("\n", 0, match.start()) + 1
            if text[start : match.start()].strip(" \t>"):
                continue  # not at the start of a line
            return _mark_text(owner, slot, start)
    if _HEADER_LABEL.match(text):
        following = _text_from(owner, max_lines=_HEADER_LINES) if slot == "text" else text
        if slot == "tail" and owner.getnext() is not None:
            following += _text_from(owner.getnext(), max_lines=_HEADER_LINES)
        if _HEADER_BLOCK.match(_normalised(following)):
            block = _block_of(owner, slot)
            if block is not None and _first_text_of(block) == (owner, slot):
                return block
            return _mark_text(owner, slot, _line_start(text))
    return None


def _mark_text(owner: etree._Element, slot: str, offset: int) -> etree._Element:
    """The element at which the text of ``owner`` (``slot``) from ``offset`` on starts."""
    text = owner.text if slot == "text" else owner.tail
    assert text is not None
    if slot == "text" and not _visible(text[:offset]) and owner.tag != "body":
        return owner  # the text opens its element: cut before the element
    cut = owner.makeelement(_CUT_TAG, {})
    cut.tail = text[offset:]
    if slot == "text":
        owner.text = text[:offset]
        owner.insert(0, cut)
    else:
        owner.tail = text[:offset]
        owner.addnext(cut)
    return cut


def _include_preamble(mark: etree._Element, body: etree._Element) -> etree._Element:
    """Move the cut up over blank lines, rules and one attribution line above the mark."""
    node = mark
    attribution = False
    while True:
        parent = node.getparent()
        if parent is None:
            return node
        previous = node.getprevious()
        between = previous.tail if previous is not None else parent.text
        if between and _visible(between):
            # only a text node that is nothing but the attribution, so no reply text goes
            if attribution or not _is_attribution_text(between):
                return node
            owner, slot = (previous, "tail") if previous is not None else (parent, "text")
            node = _mark_text(owner, slot, _line_start(between))
            attribution = True
        elif previous is None:
            if parent is body:
                return node
            node = parent  # the mark opens its parent: cut before the parent instead
        elif not _has_content(previous):
            node = previous
        elif attribution:
            return node
        else:
            found = _attribution_at_end(previous)
            if found is None:
                return node
            node = found
            attribution = True


def _attribution_at_end(element: etree._Element) -> etree._Element | None:
    """Where an attribution line that ends ``element`` starts, if it does."""
    if not isinstance(element.tag, str) or element.tag in _INVISIBLE_TAGS:
        return None
    if element.find(".//img") is None:
        lines = _text_from(element, 500, siblings=False, line_break="\u2028").split("\u2028")
        visible = [line for line in lines if _visible(line)]
        if len(visible) == 1 and _is_attribution_text(visible[0]):
            return element
    for child in reversed(element):
        if child.tail and _visible(child.tail):
            if _is_attribution_text(child.tail):
                return _mark_text(child, "tail", _line_start(child.tail))
            return None
        if _has_content(child):
            return _attribution_at_end(child)
    if element.text and _visible(element.text) and _is_attribution_text(element.text):
        return _mark_text(element, "text", _line_start(element.text))
    return None


def _line_start(text: str) -> int:
    """Offset of the first visible character's line."""
    stripped = len(text) - len(text.lstrip())
    return text.rfind("\n", 0, stripped) + 1


def _is_attribution_text(text: str) -> bool:
    text = _normalised(text)
    return len(text) <= 400 and bool(_ATTRIBUTION.search(text))


def _has_loose_text_after(mark: etree._Element, body: etree._Element) -> bool:
    """Is there visible text after ``mark`` that is not inside a quote or a signature?"""
    node = mark
    while node is not body and node is not None:
        if _visible(node.tail or ""):
            return True
        for sibling in node.itersiblings():
            if _visible(_loose_text(sibling)):
                return True
        node = node.getparent()
    return False


def _loose_text(element: etree._Element) -> str:
    """Text of ``element`` and its tail, leaving out quotes, signatures and styles."""
    parts: list[str] = []
    if isinstance(element.tag, str) and not _is_quote_or_trailer(element):
        if element.tag not in _INVISIBLE_TAGS:
            parts.append(element.text or "")
        parts.extend(_loose_text(child) for child in element)
    parts.append(element.tail or "")
    return "".join(parts)


def _is_quote_or_trailer(element: etree._Element) -> bool:
    classes = set((element.get("class") or "").lower().split())
    return _element_kind(element) is not None or bool(classes & _TRAILER_CLASSES)


def _cut(body: etree._Element, cut: etree._Element) -> tuple[etree._Element, etree._Element]:
    """Two copies of ``body``: before ``cut``, and from ``cut`` on, ancestors kept as shells."""
    path: list[int] = []
    node = cut
    while node is not body:
        parent = node.getparent()
        path.append(parent.index(node))
        node = parent
    path.reverse()
    quoted = copy.deepcopy(body)

    new = body
    chain = [new]
    for index in path:
        chain.append(chain[-1][index])
    for parent, child in itertools.pairwise(chain):
        for sibling in list(child.itersiblings()):
            parent.remove(sibling)
        if child is chain[-1]:
            parent.remove(child)
        else:
            child.tail = None

    chain = [quoted]
    for index in path:
        chain.append(chain[-1][index])
    for parent, child in itertools.pairwise(chain):
        parent.text = None
        for sibling in list(child.itersiblings(preceding=True)):
            parent.remove(sibling)
    for tree in (new, quoted):
        for inserted in list(tree.iter(_CUT_TAG)):
            inserted.drop_tag()
    return new, quoted


def _inner_html(body: etree._Element) -> str:
    parts = [html_lib.escape(body.text or "", quote=False)]
    parts.extend(lxml.html.tostring(child, encoding="unicode") for child in body)
    return "".join(parts)


def _block_of(owner: etree._Element, slot: str) -> etree._Element | None:
    """The nearest block element holding the text, if that is not ``<body>``."""
    node = owner if slot == "text" else owner.getparent()
    while node is not None and node.tag not in _BLOCK_TAGS:
        if node.tag == "body":
            return None
        node = node.getparent()
    return node


def _first_text_of(element: etree._Element) -> tuple[etree._Element, str] | None:
    """The first visible text node inside ``element``, as ``(owner, slot)``."""
    for node, slot in _walk(element):
        if node is element and slot == "tail":
            return None
        if slot == "text" and node.tag not in _INVISIBLE_TAGS and _visible(node.text or ""):
            return node, slot
        if slot == "tail" and _visible(node.tail or ""):
            return node, slot
        if slot == "start" and node.tag == "img":
            return None
    return None


def _text_from(
    element: etree._Element,
    limit: int = 600,
    *,
    siblings: bool = True,
    line_break: str = "\n",
    max_lines: int = 100,
) -> str:
    """Up to ``limit`` characters or ``max_lines`` lines of text from ``element`` on (with its
    following siblings), a line break for each ``<br>`` and block: "Od: X<br>Odesláno: Y"."""
    parts: list[str] = []
    size = lines = 0
    starts = itertools.chain([element], element.itersiblings() if siblings else ())
    for start in starts:
        for node, slot in _walk(start):
            if slot == "start":
                if node.tag != "br" and node.tag not in _BLOCK_TAGS:
                    continue
                piece = line_break
                lines += 1
                if lines > max_lines:
                    break
            elif slot == "text":
                if node.tag in _INVISIBLE_TAGS:
                    continue
                piece = node.text or ""
            else:
                if node is start and not siblings:
                    continue
                piece = node.tail or ""
            parts.append(piece)
            size += len(piece)
            if size >= limit:
                return "".join(parts)[:limit]
        if lines > max_lines:
            break
    return "".join(parts)


def _has_content(element: etree._Element) -> bool:
    """Does ``element`` show any text or image?"""
    if element.tag == "img" or element.find(".//img") is not None:
        return True
    for node, slot in _walk(element):
        if node is element and slot == "tail":
            break
        if slot == "text" and node.tag not in _INVISIBLE_TAGS and _visible(node.text or ""):
            return True
        if slot == "tail" and _visible(node.tail or ""):
            return True
    return False


def _visible(text: str) -> bool:
    return bool(_BLANK.sub("", text))


def _normalised(text: str) -> str:
    return _BLANK.sub(" ", text).strip()
