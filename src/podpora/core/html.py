"""HTML from e-mail and rich-text input: sanitising for display, and conversion to text.

Pure (no Django). Inbound HTML is hostile: it arrives from anyone who can send us mail, so
it is cut down to an allow-list with nh3 (ammonia, an html5ever parser, so the browser sees
the same tree we cleaned) before it is ever shown. See reliability-security.md, 3.1 item 1.

Decisions:
- No ``data:`` URLs at all, not even ``data:image/*``. Mail clients reference inline images
  by ``cid:``, which we rewrite to our own attachment URLs; ``data:`` images are rare in
  mail, can be huge, and ``data:image/svg+xml`` is script-capable when opened on its own.
- Remote images (tracking pixels, SSRF-by-proxy bait) are replaced by a visible placeholder
  unless the caller explicitly allows them (the "show images" button re-sanitises).
- ``style`` attributes are not kept: our Content-Security-Policy ignores inline styles, so
  a kept one would only look kept. The part of them that matters for reading (alignment,
  bold, italic, underline, struck through, preformatted) becomes our own ``hs-*`` classes
  (styled in podpora.css); the rest (colours, sizes, margins) is dropped. Before that, only
  properties that cannot load a URL are looked at, so CSS can never phone home.
- No ``class`` or ``id`` from the sender, so a mail cannot borrow our UI's styling to
  spoof buttons or alerts; the one class we add ourselves is allowed on ``span``.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
from html.parser import HTMLParser

import nh3

__all__ = ["REMOTE_IMAGE_CLASS", "STYLE_CLASSES", "html_to_text", "sanitize_html"]

#: Class of the ``<span>`` that replaces a blocked remote image.
REMOTE_IMAGE_CLASS = "podpora-remote-image"

_BLOCKED_SRC = "#podpora-blocked-remote-image"

#: (property, value test, class): the inline styles that survive, as classes
_STYLE_TO_CLASS: list[tuple[str, tuple[str, ...], str]] = [
    ("text-align", ("center",), "hs-center"),
    ("text-align", ("right",), "hs-right"),
    ("text-align", ("justify",), "hs-justify"),
    ("font-weight", ("bold", "bolder", "600", "700", "800", "900"), "hs-bold"),
    ("font-style", ("italic", "oblique"), "hs-italic"),
    ("text-decoration", ("underline",), "hs-underline"),
    ("text-decoration", ("line-through",), "hs-strike"),
    ("white-space", ("pre", "pre-wrap"), "hs-pre"),
]
STYLE_CLASSES = frozenset(c for _p, _v, c in _STYLE_TO_CLASS)

_TAGS = {
    "a", "abbr", "acronym", "b", "bdi", "bdo", "blockquote", "br", "caption", "center",
    "cite", "code", "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "font",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "wbr",
}  # fmt: skip

# Removed together with their content: code, styles, embedded documents, form controls and
# foreign content (svg/math are the usual mXSS carriers).
_CLEAN_CONTENT_TAGS = {
    "script", "style", "title", "head", "noscript", "template", "iframe", "frame",
    "frameset", "object", "embed", "applet", "svg", "math", "textarea", "select", "option",
    "button", "xmp", "noembed", "noframes", "plaintext", "audio", "video", "canvas",
}  # fmt: skip

_CELL_ATTRS = {"align", "valign", "colspan", "rowspan", "width", "height", "bgcolor"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir", "style"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "align"},
    "font": {"color", "face", "size"},
    "table": {"align", "width", "border", "cellpadding", "cellspacing", "bgcolor", "summary"},
    "td": _CELL_ATTRS,
    "th": _CELL_ATTRS | {"scope"},
    "tr": {"align", "valign", "bgcolor"},
    "col": {"span", "width", "align"},
    "colgroup": {"span", "width", "align"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "li": {"value"},
    "hr": {"align", "width", "size"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "p": {"align"},
    "div": {"align"},
}

# CSS properties that take no URL value, so a kept style cannot fetch anything.
_STYLE_PROPERTIES = {
    "color", "background-color", "font-family", "font-size", "font-style", "font-weight",
    "font-variant", "text-align", "text-decoration", "text-indent", "text-transform",
    "vertical-align", "white-space", "word-break", "word-wrap", "overflow-wrap",
    "line-height", "letter-spacing", "direction", "margin", "margin-top", "margin-bottom",
    "margin-left", "margin-right", "padding", "padding-top", "padding-bottom",
    "padding-left", "padding-right", "border", "border-top", "border-bottom",
    "border-left", "border-right", "border-color", "border-style", "border-width",
    "border-collapse", "border-spacing", "width", "height", "min-width", "max-width",
    "text-wrap",
}  # fmt: skip

# Legacy script hooks and escapes that could smuggle one past the property allow-list.
_UNSAFE_STYLE = re.compile(r"expression|url\s*\(|\\|javascript|vbscript|@import|behavior", re.I)
_URL_SCHEMES = {"http", "https", "mailto", "tel", "cid"}
_SAFE_MAPPED_URL = re.compile(r"^(?:/(?!/)|https?://)[^\s\"'<>\\]*$", re.IGNORECASE)
_BLOCKED_IMG = re.compile(r"<img\b[^>]*\bsrc=\"" + re.escape(_BLOCKED_SRC) + r"\"[^>]*>")
_ALT_ATTR = re.compile(r"\balt=\"([^\"]*)\"")


def _normalise_cid(value: str) -> str:
    return value.strip().strip("<>").strip()


def sanitize_html(
    html: str,
    allow_remote_images: bool = False,
    cid_map: Mapping[str, str] | None = None,
    remote_image_text: str = "[obrázek]",
) -> str:
    """Return ``html`` cut down to a safe allow-list, ready to render inside our pages.

    ``cid_map`` maps Content-IDs (with or without ``<>``) to URLs of the stored attachments;
    only site-relative (``/...``) and http(s) URLs are accepted from it. ``cid:`` images with
    no mapping are kept as ``cid:`` (a broken image, never a fetch). The result is stable:
    sanitising it again gives the same string.
    """
    if not html:
        return ""
    cids = {_normalise_cid(k).lower(): v for k, v in (cid_map or {}).items()}

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if attr == "style":
            return None if _UNSAFE_STYLE.search(value) else value
        if tag == "img" and attr == "src":
            low = value.strip().lower()
            if low.startswith("cid:"):
                mapped = cids.get(_normalise_cid(value.strip()[4:]).lower())
                if mapped is not None and _SAFE_MAPPED_URL.match(mapped):
                    return mapped
                return value.strip()
            if value == _BLOCKED_SRC:
                return value
            if low.startswith(("http:", "https:", "//")):
                return value if allow_remote_images else _BLOCKED_SRC
            if cids and value in cids.values():  # already rewritten by an earlier pass
                return value
            return None  # relative URLs and anything else would resolve against our site
        return value

    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags=_CLEAN_CONTENT_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=attribute_filter,
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
        url_schemes=_URL_SCHEMES,
        filter_style_properties=_STYLE_PROPERTIES,
        allowed_classes=_ALLOWED_CLASSES,
    )
    if 'style="' in cleaned or 'class=""' in cleaned:
        cleaned = _TAG.sub(_style_to_classes, cleaned)
    if _BLOCKED_SRC in cleaned:
        cleaned = _BLOCKED_IMG.sub(lambda m: _placeholder(m.group(0), remote_image_text), cleaned)
    return cleaned


_ALLOWED_CLASSES = {tag: set(STYLE_CLASSES) for tag in _TAGS} | {
    "span": {REMOTE_IMAGE_CLASS, *STYLE_CLASSES}
}
# A start tag of nh3's output: every attribute value is in double quotes and holds none, and
# text never holds a raw "<", so this finds exactly the tags and their attributes.
_TAG = re.compile(r'<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"=<>/]+(?:="[^"]*")?)*)(\s*/?>)')
_ATTR = re.compile(r'\s+([^\s"=<>/]+)(?:="([^"]*)")?')


def _classes_of(style: str) -> list[str]:
    declarations = {}
    for part in html_lib.unescape(style).split(";"):
        name, _sep, value = part.partition(":")
        declarations[name.strip().lower()] = value.strip().lower()
    return [
        cls
        for prop, values, cls in _STYLE_TO_CLASS
        if any(v in declarations.get(prop, "").split() for v in values)
    ]


def _style_to_classes(match: re.Match) -> str:
    """The tag with its style attribute as classes (and no empty class left by nh3)."""
    name, attributes, close = match.groups()
    kept, classes, style, at = [], [], None, None
    for attr in _ATTR.finditer(attributes):
        if attr.group(1) in ("style", "class"):
            at = len(kept) if at is None else at  # the classes go where these were
            if attr.group(1) == "style":
                style = attr.group(2) or ""
            else:
                classes.extend((attr.group(2) or "").split())
        else:
            kept.append(attr.group(0))
    if style is not None:
        classes.extend(_classes_of(style))
    if classes:
        kept.insert(at, f' class="{" ".join(dict.fromkeys(classes))}"')
    return f"<{name}{''.join(kept)}{close}"


def _placeholder(img_tag: str, text: str) -> str:
    alt = _ALT_ATTR.search(img_tag)
    label = html_lib.unescape(alt.group(1)).strip() if alt else ""
    shown = f"{text} {label}" if label else text
    return f'<span class="{REMOTE_IMAGE_CLASS}">{html_lib.escape(shown, quote=False)}</span>'


_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_SKIP_TAGS = {"script", "style", "head", "title", "template", "noscript", "xml"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base"}


class _TextExtractor(HTMLParser):
    """Collect text, turning block boundaries into line breaks; tolerant of any markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.link_stack: list[tuple[str | None, int]] = []
        self.trailing = 0  # line breaks at the end of the output so far
        self.started = False  # any text emitted yet (no leading blank lines)

    def _emit(self, text: str) -> None:
        if not text:
            return
        self.out.append(text)
        stripped = text.rstrip("\n")
        if stripped:
            self.trailing = len(text) - len(stripped)
            self.started = True
        else:
            self.trailing += len(text)

    def _newline(self, count: int = 1) -> None:
        if self.started and self.trailing < count:
            self._emit("\n" * (count - self.trailing))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            if tag not in _VOID_TAGS:
                self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "br":
            self._emit("\n")
        elif tag == "li":
            self._newline()
            self._emit("- ")
        elif tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table"):
            self._newline(2)
        elif tag in ("td", "th"):
            if self.out and not self.out[-1].endswith(("\n", "\t")):
                self._emit("\t")
        elif tag in _BLOCK_TAGS:
            self._newline()
        if tag == "pre":
            self.pre_depth += 1
        if tag == "a":
            href = dict(attrs).get("href")
            self.link_stack.append((href, len(self.out)))
        if tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self._emit(f"[{alt}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag == "pre":
            self.pre_depth = max(0, self.pre_depth - 1)
        if tag == "a" and self.link_stack:
            href, start = self.link_stack.pop()
            text = "".join(self.out[start:]).strip()
            if href and href.lower().startswith(("http:", "https:")) and href.strip() != text:
                self._emit(f" <{href.strip()}>")
        if tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table"):
            self._newline(2)
        elif tag in _BLOCK_TAGS and tag not in ("td", "th"):
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            self._emit(data)
            return
        text = re.sub(r"\s+", " ", data)
        if not text.strip():
            if self.out and not self.out[-1].endswith((" ", "\n", "\t")):
                self._emit(" ")
            return
        if self.out and self.out[-1].endswith(("\n", "\t")):
            text = text.lstrip()
        self._emit(text)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, keeping paragraph, line and list-item breaks.

    Used for HTML-only mail (search, quoting, notifications). Never raises.
    """
    if not html:
        return ""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient, but never let display text break ingestion
        return re.sub(r"<[^>]*>", " ", html)
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
