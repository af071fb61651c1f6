"""split_html cuts an HTML reply where the quoted history starts, and loses no text.

Fixtures in fixtures/htmlquote/ are ours, written in each client's markup (Gmail, Outlook
desktop and web, Thunderbird, Apple Mail on iOS and macOS, Seznam.cz). Real messages come
from the shared corpus (Zammad's mail fixtures, AGPL-3.0), read in place and never
copied; those tests are skipped where the corpus is absent.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podpora.mail.htmlquote import MAX_HTML_CHARS, MAX_NODES, split_html
from podpora.mail.parse import parse_message

FIXTURES = Path(__file__).parent / "fixtures" / "htmlquote"
CORPUS = Path(
    os.environ.get("PODPORA_CORPUS")
    or Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
)
ZAMMAD = CORPUS / "emails" / "zammad"


@pytest.fixture(autouse=True)
def _isolated():
    """Pure tests: replace the suite-wide Django fixture (this file runs with -p no:django)."""


_HIDDEN = {"head", "style", "script", "title", "template"}
_BREAKS = {"br", "p", "div", "blockquote", "li", "tr", "td", "hr", "pre", "table"}


def visible_text(html: str, *, lines: bool = False) -> str:
    """What a reader sees, whitespace-normalised: lxml's text_content without head, styles
    or scripts; with ``lines``, a ``<br>`` or block also separates words."""
    if not html.strip():
        return ""
    parser = lxml.html.HTMLParser(encoding="utf-8")  # the str is decoded already
    document = lxml.html.document_fromstring(html.replace("\x00", "\ufffd").encode(), parser)
    parts: list[str] = []

    def collect(element: lxml.html.HtmlElement) -> None:
        if isinstance(element.tag, str) and element.tag not in _HIDDEN:
            gap = " " if lines and element.tag in _BREAKS else ""
            parts.append(gap + (element.text or ""))
            for child in element:
                collect(child)
            parts.append(gap)
        parts.append(element.tail or "")

    collect(document)
    return " ".join("".join(parts).split())


def assert_nothing_lost(html: str, new: str, quoted: str) -> None:
    assert "podpora-cut" not in new + quoted
    assert Counter((visible_text(new + quoted)).split()) == Counter(visible_text(html).split())


QUOTED_NOTICE = "##- Pište prosím nad tuto čáru -## Dobrý den,"


# (fixture, exact visible new text, start of the visible quoted text, markup the cut is at)
@pytest.mark.parametrize(
    ("name", "new_text", "quoted_start", "mark"),
    [
        pytest.param(
            "gmail_cs.html",
            "Dobrý den, po aktualizaci na 5.2 už faktury tisknou, děkuji. Jana Nová"
            " -- Jana Nová | účetní Firma s.r.o.",
            "Dne čt 12. 11. 2026 10:16 uživatel Podpora ACME <podpora@acme.cz> napsal:",
            '<div class="gmail_quote gmail_quote_container">',
            id="gmail-cs",
        ),
        pytest.param(
            "outlook_desktop_cs.html",
            "Dobrý den, tiskárna už funguje, požadavek můžete uzavřít. S pozdravem Petr Dvořák",
            "Od: Podpora ACME <podpora@acme.cz> Odesláno: čtvrtek 12. listopadu 2026 10:16 "
            "Komu: Petr Dvořák <petr.dvorak@firma.cz> Předmět: RE: [AC-1042]",
            '<div style="border:none;border-top:solid #E1E1E1 1.0pt;',
            id="outlook-desktop-cs",
        ),
        pytest.param(
            "outlook_web_sk.html",
            "Dobrý deň, ďakujem, po reštarte služby to už ide. Ján Kováč",
            "Od: Podpora ACME <podpora@acme.sk> Odoslané: štvrtok 12. novembra 2026 10:16",
            '<div id="appendonsend"></div>',
            id="outlook-web-sk",
        ),
        pytest.param(
            "thunderbird_cs.html",
            "Dobrý den, posílám výpis z logu, chyba se objevuje i po aktualizaci. Jana Nová",
            "Dne 12. 11. 2026 v 10:16 Podpora ACME napsal(a): " + QUOTED_NOTICE,
            '<div class="moz-cite-prefix">',
            id="thunderbird-cs",
        ),
        pytest.param(
            "apple_mail_ios_cs.html",
            "Díky, už to funguje. Jana Odesláno z iPhonu",
            "12. 11. 2026 v 10:16, Podpora ACME <podpora@acme.cz>:",
            '<blockquote type="cite">12. 11. 2026',
            id="apple-mail-ios-cs",
        ),
        pytest.param(
            "apple_mail_macos_cs.html",
            "Dobrý den, posílám snímek obrazovky:",
            "Dne 12. 11. 2026 v 10:16, Podpora ACME <podpora@acme.cz> napsal(a):",
            '<blockquote type="cite">',
            id="apple-mail-macos-cs",
        ),
        pytest.param(
            "seznam_cs.html",
            "Dobrý den, ani po aktualizaci se faktury netisknou. Jana Nová",
            "---------- Původní e-mail ---------- Od: Podpora ACME <podpora@acme.cz>",
            "<div>---------- Původní e-mail ----------<br>",
            id="seznam-cs",
        ),
    ],
)
def test_client_fixtures(name: str, new_text: str, quoted_start: str, mark: str) -> None:
    html = (FIXTURES / name).read_text(encoding="utf-8")
    new, quoted = split_html(html)
    assert visible_text(new, lines=True) == new_text
    assert visible_text(quoted, lines=True).startswith(quoted_start)
    assert mark in quoted
    assert mark not in new
    assert "<html" not in new + quoted and "<head" not in new + quoted
    assert_nothing_lost(html, new, quoted)


def test_an_image_is_kept_with_the_new_text() -> None:
    html = (FIXTURES / "apple_mail_macos_cs.html").read_text(encoding="utf-8")
    new, quoted = split_html(html)
    assert 'src="cid:5A1B2C3D-image.png"' in new
    assert "<img" not in quoted


# (HTML, exact visible new text, start of the visible quoted text)
@pytest.mark.parametrize(
    ("html", "new_text", "quoted_start"),
    [
        pytest.param(
            '<div>Díky.</div><div class="yahoo_quoted" id="yahoo_quoted_1"><div>'
            "Dne čtvrtek 12. listopadu 2026 10:16:08 SEČ, Podpora ACME napsal(a):</div>"
            "<div>Dobrý den</div></div>",
            "Díky.",
            "Dne čtvrtek 12. listopadu 2026",
            id="yahoo",
        ),
        pytest.param(
            '<div>Díky.</div><div class="ydp1a2b3c4dyahoo_quoted"><div>Podpora</div></div>',
            "Díky.",
            "Podpora",
            id="yahoo-nested-class",
        ),
        pytest.param(
            '<div style="font-family: arial"><div>Díky.</div><br><hr id="zwchr" '
            'data-marker="__DIVIDER__"><div data-marker="__HEADERS__"><b>Od: </b>"Podpora" '
            "&lt;podpora@acme.cz&gt;<br><b>Komu: </b>jana@firma.cz<br></div><br>"
            '<div data-marker="__QUOTED_TEXT__">Dobrý den</div></div>',
            "Díky.",
            'Od: "Podpora" <podpora@acme.cz> Komu:',
            id="zimbra",
        ),
        pytest.param(
            '<p>Díky.</p><div style="border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
            "<p><b>Od:</b> Podpora ACME [mailto:podpora@acme.sk]<br><b>Odoslané:</b> "
            "12. novembra 2026 10:16<br><b>Komu:</b> Ján<br><b>Predmet:</b> RE: Tlač</p></div>"
            "<p>Dobrý deň</p>",
            "Díky.",
            "Od: Podpora ACME [mailto:podpora@acme.sk] Odoslané:",
            id="outlook-2010-sk",
        ),
        pytest.param(
            '<div class="WordSection1"><p class="MsoNormal">Hotovo.</p><p class="MsoNormal">'
            "<b>Od:</b> Podpora ACME<br><b>Odesláno:</b> 12. 11. 2026<br><b>Předmět:</b> x</p>"
            '<p class="MsoNormal">Dobrý den</p></div>',
            "Hotovo.",
            "Od: Podpora ACME Odesláno:",
            id="outlook-header-without-border",
        ),
        pytest.param(
            "<div>Hotovo.<br><br>-----Original Message-----<br>From: Podpora ACME<br>"
            "Sent: Thursday, November 12, 2026 10:16 AM<br>Subject: RE: x<br><br>Dobrý den</div>",
            "Hotovo.",
            "-----Original Message----- From: Podpora ACME",
            id="original-message-in-text",
        ),
        pytest.param(
            "<p>Hotovo.</p><p>-------- Původní zpráva --------</p><p>Od: Podpora</p>",
            "Hotovo.",
            "-------- Původní zpráva --------",
            id="puvodni-zprava-paragraph",
        ),
        pytest.param(
            '<div>Funguje to.</div><div style="color:#888">##- Pište prosím nad tuto čáru -##'
            "</div><div>Dobrý den, váš požadavek AC-1042 ...</div>",
            "Funguje to.",
            "##- Pište prosím nad tuto čáru -## Dobrý den",
            id="our-marker-element",
        ),
        pytest.param(
            "Funguje to.<br>\n##- Please type your reply above this line -##<br>Hello",
            "Funguje to.",
            "##- Please type your reply above this line -##",
            id="our-marker-in-body-text",
        ),
        pytest.param(
            "<div>Díky.<br><br>On 12. 11. 2026, at 10:16, Jana Nová &lt;jana@firma.cz&gt; wrote:"
            '<br><br></div><blockquote type="cite"><div>Dobrý den</div></blockquote>',
            "Díky.",
            "On 12. 11. 2026, at 10:16, Jana Nová <jana@firma.cz> wrote:",
            id="attribution-in-text-above-quote",
        ),
        pytest.param(
            "<div>Díky.</div><div>Dne 12. 11. 2026 v 10:16 Podpora ACME napsal(a):</div>"
            '<blockquote type="cite"><div>Dobrý den</div></blockquote>',
            "Díky.",
            "Dne 12. 11. 2026 v 10:16 Podpora ACME napsal(a):",
            id="attribution-element-above-quote",
        ),
        pytest.param(
            "<div>Díky.</div><div>Poznámka: viz níže.</div>"
            '<blockquote type="cite"><div>Dobrý den</div></blockquote>',
            "Díky. Poznámka: viz níže.",
            "Dobrý den",
            id="ordinary-text-above-quote-stays",
        ),
        pytest.param(
            '<div>Díky.</div><div name="quote"><div><b>Gesendet:</b> Mittwoch<br>'
            "<b>Von:</b> Podpora</div><div>Hallo</div></div>",
            "Díky.",
            "Gesendet: Mittwoch",
            id="gmx",
        ),
        pytest.param(
            '<html><head><meta charset="windows-1250"></head><body><p>Příliš žluťoučký kůň'
            '</p><div class="gmail_quote">úpěl ďábelské ódy</div></body></html>',
            "Příliš žluťoučký kůň",
            "úpěl ďábelské ódy",
            id="declared-charset-is-ignored-for-decoded-text",
        ),
        pytest.param(
            '<p><img src="cid:screenshot"></p><div class="gmail_quote">Dobrý den</div>',
            "",
            "Dobrý den",
            id="image-only-reply",
        ),
    ],
)
def test_formats(html: str, new_text: str, quoted_start: str) -> None:
    new, quoted = split_html(html)
    assert visible_text(new, lines=True) == new_text
    assert visible_text(quoted, lines=True).startswith(quoted_start)
    assert_nothing_lost(html, new, quoted)


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("same html", id="no-quote-text"),
        pytest.param("<p>Dobrý den,</p><p>nefunguje tisk.</p>", id="no-quote"),
        pytest.param(
            '<div class="gmail_quote">---------- Forwarded message ---------<br>Od: x</div>',
            id="forward-without-text",
        ),
        pytest.param(
            '<div><br></div><div>&nbsp;</div><blockquote type="cite">Dobrý den</blockquote>',
            id="quote-after-blank-lines-only",
        ),
        pytest.param(
            '<style>p { color: red }</style><div class="gmail_quote">Dobrý den</div>',
            id="only-a-style-above",
        ),
        pytest.param(
            '<p>Odpovídám v textu:</p><div class="moz-cite-prefix">Dne 1. 1. 2026 Jana '
            'napsal(a):</div><blockquote type="cite">Jde to?</blockquote><p>Ano.</p>'
            '<blockquote type="cite">A tisk?</blockquote><p>Ne.</p>',
            id="inline-reply",
        ),
        pytest.param(
            "<p>Dobrý den,</p><p>Od: pondělí nefunguje tisk.</p><p>Komu to mám poslat?</p>",
            id="od-in-a-sentence",
        ),
        pytest.param(
            "<p>Dobrý den,</p><p>text ##- s křížky -## uvnitř řádku</p>",
            id="marker-inside-a-line",
        ),
        pytest.param("", id="empty"),
        pytest.param("   \n ", id="whitespace"),
        pytest.param("<frameset><frame src=x></frameset>", id="no-body"),
        pytest.param("<<<>>><div class='gmail_quote'", id="broken"),
    ],
)
def test_nothing_is_folded_when_unsure(html: str) -> None:
    assert split_html(html) == (html, "")


def test_huge_input_is_not_split() -> None:
    html = "<p>Díky.</p>" + "<p>x</p>" * (MAX_HTML_CHARS // 8) + '<div class="gmail_quote">q</div>'
    assert len(html) > MAX_HTML_CHARS
    assert split_html(html) == (html, "")


def test_too_many_nodes_are_not_split() -> None:
    html = "<p>Díky.</p>" + "<br>" * MAX_NODES + '<div class="gmail_quote">q</div>'
    assert len(html) < MAX_HTML_CHARS
    assert split_html(html) == (html, "")


def test_nesting_deeper_than_the_parser_allows_is_not_split() -> None:
    html = "<p>Díky.</p>" + "<div>" * 300 + '<div class="gmail_quote">q</div>' + "</div>" * 300
    assert split_html(html) == (html, "")


def test_failure_returns_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    import podpora.mail.htmlquote as htmlquote

    def boom(html: str) -> None:
        raise RuntimeError("lxml broke")

    monkeypatch.setattr(htmlquote, "_split", boom)
    html = '<p>a</p><div class="gmail_quote">b</div>'
    assert split_html(html) == (html, "")


needs_corpus = pytest.mark.skipif(
    not ZAMMAD.is_dir(), reason=f"mail corpus not found at {ZAMMAD} (set PODPORA_CORPUS)"
)


# Real replies from the shared corpus: (file, end of the visible new text, start of quoted).
@needs_corpus
@pytest.mark.parametrize(
    ("name", "new_end", "quoted_start"),
    [
        pytest.param(
            "mail003.box",
            "oder ihren Inhalt auf welche Weise auch immer zu verwenden.",
            "Von: Fritz Bauer [mailto:me@example.com] Gesendet: Donnerstag, 3. Mai 2012",
            id="outlook-de-border-B5C4DF",
        ),
        pytest.param(
            "mail082.box",
            "Fax to e-mail: 0865665137",
            "From: Profsen Lab [mailto:from@example.com] Sent: Wednesday, 06 March 2019",
            id="outlook-en-forward",
        ),
        pytest.param(
            "mail085.box",
            "Geschäftsführung: Bob Smith",
            "Dann würden wir uns unheimlich freuen",
            id="apple-mail-blockquote-cite",
        ),
        pytest.param(
            "mail036.box",
            "don't cry - work! (Rainald Goetz)",
            "Gesendet: Mittwoch, 03. Februar 2016 um 12:43 Uhr Von:",
            id="gmx-div-name-quote",
        ),
        pytest.param(
            "mail012.box",
            "Internet: www.example.com",
            "-----Ursprüngliche Nachricht----- Von: Martin Edenhofer via Znuny Sales",
            id="outlook-de-ursprungliche-nachricht",
        ),
    ],
)
def test_corpus_replies(name: str, new_end: str, quoted_start: str) -> None:
    html = parse_message((ZAMMAD / name).read_bytes()).html_body
    assert html
    new, quoted = split_html(html)
    assert visible_text(new, lines=True).endswith(new_end)
    assert visible_text(quoted, lines=True).startswith(quoted_start)
    assert_nothing_lost(html, new, quoted)


@needs_corpus
def test_corpus_html_never_breaks() -> None:
    """Every HTML body of the corpus splits without error and without losing a word."""
    seen = 0
    for path in sorted((CORPUS / "emails").rglob("*")):
        if path.suffix not in (".box", ".eml"):
            continue
        try:
            html = parse_message(path.read_bytes()).html_body
        except Exception:  # test_corpus.py owns parsing; here only the HTML matters
            continue
        if html:
            seen += 1
            new, quoted = split_html(html)
            if quoted:
                assert_nothing_lost(html, new, quoted)
            else:
                assert new == html
    assert seen > 10


_PIECES = [
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<br>",
    "<b>",
    "</b>",
    "<img src=x>",
    "<hr>",
    "&nbsp;",
    " ",
    "\n",
    "<!-- c -->",
    "<style>x{}</style>",
    '<blockquote type="cite">',
    "</blockquote>",
    '<div class="gmail_quote">',
    '<div class="moz-cite-prefix">',
    '<div id="divRplyFwdMsg">',
    '<div id="appendonsend"></div>',
    '<hr id="zwchr">',
    '<div style="border:none;border-top:solid #E1E1E1 1.0pt">',
    "Od: Podpora",
    "Odesláno: dnes",
    "From:",
    "Sent:",
    "-----Original Message-----",
    "---------- Původní e-mail ----------",
    "##- Pište prosím nad tuto čáru -##",
    "Dne 1. 1. 2026 Jana napsal(a):",
    "On Mon, Jana wrote:",
    "<table><tr><td>",
    "</td></tr></table>",
    "<",
    ">",
    "&",
]


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=40).map(
            "".join
        ),
    )
)
def test_split_never_raises_and_never_loses_a_word(html: str) -> None:
    new, quoted = split_html(html)
    assert isinstance(new, str) and isinstance(quoted, str)
    if not quoted:
        assert new == html
        return
    shown = set(visible_text(new + quoted).split())
    assert set(visible_text(html).split()) <= shown
    assert not re.search(r"<(html|head|body)\b", new + quoted)
