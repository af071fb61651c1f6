"""Markdown to safe HTML: the staff's text goes through Python-Markdown, then the same nh3
allow-list as inbound e-mail (no script, no event handlers, no ``javascript:`` links); raw
HTML inside the Markdown is escaped, not passed through."""

from __future__ import annotations

import markdown
from django.utils.translation import gettext as _

from podpora.core.html import sanitize_html


class _EscapeRawHtml(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def to_html(text: str) -> str:
    html = markdown.markdown(
        text or "", extensions=["extra", "sane_lists", _EscapeRawHtml()], output_format="html"
    )
    # Remote images are blocked as in e-mail (our CSP allows no other site's images anyway,
    # and they would tell that site who reads what): a placeholder with the image's text.
    return sanitize_html(html, remote_image_text=_("[obrázek]"))
