"""Split a reply into what the person just wrote and what can be folded away. Pure.

Agents read hundreds of replies a day; the quoted history and signatures are noise, but
they must never be lost, so :func:`split_reply` only ever *splits* the original text at a
line boundary: ``new_text`` and ``quoted_text`` together hold every non-blank line of the
input, in order. Detection:
our own marker line (:data:`REPLY_MARKERS`), which our notifications carry on top;
"On ... wrote:" style headers and Outlook header blocks, via ``mail-parser-reply``
(cs, en, de ...), plus what it does not know, matched here: Slovak, Czech Gmail (also
wrapped over two lines), Thunderbird's and Apple Mail's Czech forms, Seznam.cz; a trailing
block of ``>`` quoted lines. The earliest of these that has text above it wins; then a
signature at the end of what remains ("-- ", "S pozdravem," ... with only a few
short lines after it) is folded too. If anything fails, nothing is folded.
"""

from __future__ import annotations

import re

from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES

__all__ = ["REPLY_MARKERS", "SEPARATOR", "marker_line", "split_reply"]

#: The line our outgoing notifications put above the quoted ticket history.
REPLY_MARKERS: dict[str, str] = {
    "cs": "##- Pište prosím nad tuto čáru -##",
    "sk": "##- Píšte prosím nad túto čiaru -##",
    "en": "##- Please type your reply above this line -##",
}

_MARKER = re.compile(r"^[ \t>]*##-.*-##[ \t]*$", re.MULTILINE)

#: "-----Původní zpráva-----" and its kin: the line a client puts above a quoted or
#: forwarded message (regular expression source, for :mod:`.htmlquote` too).
SEPARATOR = (
    r"-{2,}\s*(?:P[ůu]vodn[íi] zpr[áa]va|P[ůu]vodn[íi] e-?mail|P[ôo]vodn[áa] spr[áa]va|"
    r"P[ôo]vodn[ýy] e-?mail|Original Message|Urspr[üu]ngliche Nachricht|"
    r"P[řr]eposlan[áa] zpr[áa]va|P[řr]eposlan[ýy] e-?mail|Preposlan[áa] spr[áa]va|"
    r"Forwarded message)\s*-{2,}"
)

# Headers mail-parser-reply does not know: Slovak clients, Czech Gmail, Thunderbird's
# "Dne <date> napsal(a) <name>:", Apple Mail, Seznam.cz, forwarded blocks.
_DATE = r"\d{1,2}\.[ \t]?\d{1,2}\.[ \t]?(?:\d{4}|\d{2})"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
# Gmail wraps a long attribution line once (often right after "<"); the second line may
# hold only the end of the address and "napsal:".
_WRAPPED = r"[^\n]{0,200}?(?:\n[ \t>]*[^\n]{0,200}?)?"
_EXTRA_HEADERS = [
    r"^[ \t>]*D[ňn]a\s.{1,120}\snap[íi]sal(\(a\)|a)?:[ \t]*$",  # sk
    # Gmail cs/sk: "Dne čt 12. 11. 2026 10:16 uživatel Jana <j@x.cz> napsal:", older
    # "st 12. 11. 2026 v 10:15 odesílatel Jan <j@x.cz> napsal:"
    rf"^[ \t>]*(?:D[ňn][ea]\s+)?(?:\w{{1,3}}\.?\s+)?{_DATE},?\s+(?:[vo]\s+)?{_TIME}\s+"
    rf"(?:u[žz]ivatel|odes[íi]latel|pou[žz][íi]vate[ľl]|odosielate[ľl])\s{_WRAPPED}"
    r"\snap[íi]?sal(?:\(a\)|a)?:[ \t]*$",
    r"^[ \t>]*(?:\w{1,4}\s)?.{1,80}\sodes[íi]latel\s.{1,160}\snapsal(\(a\)|a)?:[ \t]*$",  # looser
    # Thunderbird cs/sk: "<name> napsal(a):", "Dne 1. 1. 2026 napsal(a) <name>:"
    r"^[ \t>]*[^\n]{1,160}\snap[íi]?sal\(a\):[ \t]*$",
    rf"^[ \t>]*D[ňn][ea]\s+{_DATE}[^\n]{{0,60}}?\snap[íi]?sal\(a\)\s[^\n]{{1,160}}:[ \t]*$",
    # Apple Mail cs/sk: "12. 11. 2026 v 10:16, Jana Nová <jana@firma.cz>:"
    rf"^[ \t>]*{_DATE}\s+[vo]\s+{_TIME},\s[^\n]{{1,160}}:[ \t]*$",
    rf"^[ \t>]*{SEPARATOR}",
    # Outlook's rule line above its header block belongs to the history, not the reply.
    r"^[ \t>]*_{10,}[ \t]*\n(?:[ \t>]*\n)?[ \t>]*(Od|From|Von):[ \t]",
    r"^[ \t>]*(Od|From|Von):[ \t].*\n[ \t>]*(Odesl[áa]no|Odoslan[ée]|Sent|Date|Datum|D[áa]tum|"
    r"Gesendet|Komu):",
]
_EXTRA = re.compile("|".join(f"(?:{p})" for p in _EXTRA_HEADERS), re.IGNORECASE | re.MULTILINE)

_VALEDICTIONS = (
    "s pozdravem",
    "se srdečným pozdravem",
    "s úctou",
    "s přáním hezkého dne",
    "hezký den",
    "děkuji",
    "děkuji a zdravím",
    "díky",
    "zdravím",
    "s pozdravom",
    "s úctou",
    "ďakujem",
    "best regards",
    "kind regards",
    "regards",
    "best",
    "thanks",
    "thank you",
    "cheers",
    "mit freundlichen grüßen",
    "viele grüße",
)
_SENT_FROM = re.compile(
    r"^(odesláno z (mého )?|odoslané z (môjho )?|sent from my |get outlook for )", re.IGNORECASE
)
_MAX_SIGNATURE_LINES = 8


def marker_line(language: str) -> str:
    """The marker for ``language`` (cs, sk, en), Czech by default."""
    return REPLY_MARKERS.get((language or "cs").lower()[:2], REPLY_MARKERS["cs"])


def _parser_languages(hint: str | None) -> list[str]:
    wanted = [(hint or "").lower()[:2], "cs", "en", "de"]
    if wanted[0] == "sk":
        wanted[0] = "cs"  # closest supported; Slovak headers are in _EXTRA_HEADERS
    return [code for code in dict.fromkeys(wanted) if code in MAIL_LANGUAGES]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, max(0, offset))


#: mail-parser-reply takes seconds on thousands of lines; it reads only the first of them
#: (our own patterns above still look at the whole text).
PARSER_MAX_LINES = 400


def _parser_split_line(lines: list[str], hint: str | None) -> int | None:
    """Index of the first line of quoted history according to mail-parser-reply."""
    normalised = "\n".join(line.strip() for line in lines[:PARSER_MAX_LINES])
    message = EmailReplyParser(languages=_parser_languages(hint)).read(normalised)
    if len(message.replies) < 2:
        return None
    header = message.replies[1].headers
    first = message.replies[0].content
    if not header:
        return None
    start = normalised.find(first) + len(first) if first else 0
    position = normalised.find(header, max(0, start))
    if position < 0:
        return None
    return _line_of(normalised, position)


def _trailing_quote_line(lines: list[str]) -> int | None:
    """Start of a block of '>' lines (blank lines allowed) that runs to the end."""
    index = len(lines)
    start = None
    while index > 0:
        line = lines[index - 1].strip()
        if line.startswith(">"):
            start = index - 1
        elif line:
            break
        index -= 1
    return start


def _signature_line(lines: list[str]) -> int | None:
    """Start of a short signature block at the end of the new text."""
    last = len(lines)
    while last > 0 and not lines[last - 1].strip():
        last -= 1
    for index in range(last - 1, max(-1, last - _MAX_SIGNATURE_LINES - 2), -1):
        line = lines[index].strip()
        lowered = line.lower().rstrip(",.!")
        after = [entry for entry in lines[index + 1 : last] if entry.strip()]
        if lines[index].rstrip("\r\n") in ("-- ", "--") and index > 0:
            return index
        if _SENT_FROM.match(line) and index > 0:
            return index
        if (
            lowered in _VALEDICTIONS
            and index > 0
            and len(after) <= 4
            and all(len(entry.strip()) <= 60 for entry in after)
        ):
            return index
    return None


def _has_text(lines: list[str]) -> bool:
    return any(line.strip() for line in lines)


def split_reply(text: str, language_hint: str | None = "cs") -> tuple[str, str]:
    """Return ``(new_text, quoted_text)``; ``quoted_text`` is what the UI folds away.

    Splitting happens only on line boundaries of the original text, so nothing the sender
    wrote is lost or altered (line endings are normalised to ``\\n``).
    """
    if not text:
        return "", ""
    try:
        return _split(text.replace("\r\n", "\n").replace("\r", "\n"), language_hint)
    except Exception:  # the heuristics must never cost us the message
        return text, ""


def _split(text: str, language_hint: str | None) -> tuple[str, str]:
    lines = text.split("\n")
    candidates: list[int] = []
    for pattern in (_MARKER, _EXTRA):
        for match in pattern.finditer(text):
            line = _line_of(text, match.start())
            if _has_text(lines[:line]):
                candidates.append(line)
                break
    try:
        parsed = _parser_split_line(lines, language_hint)
    except Exception:
        parsed = None
    if parsed is not None:
        candidates.append(parsed)
    quoted = _trailing_quote_line(lines)
    if quoted is not None:
        candidates.append(quoted)
    split = min((c for c in candidates if _has_text(lines[:c])), default=len(lines))
    head = lines[:split]
    signature = _signature_line(head)
    if signature is not None and _has_text(head[:signature]):
        split = signature
    new_text = "\n".join(lines[:split]).strip("\n").rstrip()
    quoted_text = "\n".join(lines[split:]).strip("\n")
    return new_text, quoted_text
