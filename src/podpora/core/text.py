"""Text helpers shared by search and numbering; pure."""

import re
import unicodedata

# After NFKD, nearly every diacritic is one of these (Czech and Slovak: all of them);
# one regular expression removes them, and only the rare other non-ASCII characters are
# looked up one by one. U+034F (combining grapheme joiner) is the one character of the
# block that is not a combining mark (its combining class is 0): it stays, as it always did.
_COMMON_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]+")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so that "pozadavek" finds "Požadavek"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    if not decomposed.isascii():
        decomposed = _NON_ASCII.sub(_unless_combining, _COMMON_MARKS.sub("", decomposed))
    return decomposed.casefold()


def _unless_combining(match: re.Match) -> str:
    char = match.group()
    return "" if unicodedata.combining(char) else char
