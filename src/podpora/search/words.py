"""Words of a search query: folded, stemmed for Czech word forms, written as an FTS query; pure.

Czech inflects nouns and adjectives by their endings ("faktura", "faktury", "fakturou",
"fakturách"). The index keeps words as written (only case and diacritics folded, by the
database's tokenizer); a query word is cut to its stem by a light stemmer of Czech case
endings (after Dolamic & Savoy, "Indexing and stemming approaches for the Czech language",
2009, the "light" variant: case endings only, no derivational suffixes) and matched as a
prefix. "faktury" → ``faktur*`` finds "faktura", "fakturu", "fakturách" — and "fakturace",
which for a support search is the right side to err on. Slovak has nearly the same endings.
Nothing is stemmed at indexing time, so the highlighted snippets show the words as written.
"""

from __future__ import annotations

import re

from podpora.core.text import fold

#: at most this many words of a query are used
MAX_WORDS = 10
#: a stem keeps at least this many letters (shorter words are matched as typed, as prefixes)
MIN_STEM = 3

_WORD = re.compile(r"[^\W_]+")

# Case endings, folded (no diacritics), longest first within each minimum word length.
_ENDINGS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (7, ("atech",)),
    (6, ("etem", "atum", "ovou", "ovym", "ovych", "ovem", "ovat")),
    (
        5,
        (
            "ech",
            "ich",
            "eho",
            "emi",
            "emu",
            "ete",
            "eti",
            "iho",
            "imi",
            "imu",
            "ach",
            "ata",
            "aty",
            "ych",
            "ama",
            "ami",
            "ove",
            "ovi",
            "ymi",
            "ova",
            "ovy",
        ),
    ),
    (4, ("em", "es", "im", "um", "at", "am", "os", "us", "ym", "mi", "ou", "ho", "ky")),
    (3, ("e", "i", "a", "o", "u", "y")),
)
_VOWELS = set("aeiouy")


def stem(word: str) -> str:
    """The stem of one folded word (lower case, no diacritics)."""
    if word.isdigit() or len(word) <= MIN_STEM + 1:
        return word
    for min_len, endings in _ENDINGS:
        if len(word) <= min_len:
            continue
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                word = word[: -len(ending)]
                return _mobile_e(word)
    return _mobile_e(word)


def _mobile_e(word: str) -> str:
    """The "mobile e" of Czech: "požadavek" / "požadavky", "konec" / "konce" share "požadav",
    "kon" — a final -ek/-ec, or a -k/-c after a consonant, is dropped."""
    if len(word) - 2 >= MIN_STEM and word[-2:] in ("ek", "ec"):
        return word[:-2]
    if len(word) - 1 >= MIN_STEM + 1 and word[-1] in "kc" and word[-2] not in _VOWELS:
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The query's search terms: folded words, numbers without leading zeros, stems."""
    out: list[str] = []
    for word in _WORD.findall(fold(text or "")):
        if word.isdigit():
            term = word.lstrip("0") or "0"
        else:
            term = stem(word)
        if term not in out:
            out.append(term)
        if len(out) == MAX_WORDS:
            break
    return out


def fts5_query(words: list[str]) -> str:
    """SQLite FTS5: every term as a prefix (terms are letters and digits only)."""
    return " AND ".join(f'"{w}"*' for w in words)


def tsquery(words: list[str]) -> str:
    """PostgreSQL ``to_tsquery``: every term as a prefix."""
    return " & ".join(f"{w}:*" for w in words)


def number_forms(number: str) -> str:
    """A ticket number as the index holds it: "HRP-00123" also as "HRP-123" and "123"."""
    prefix, _, digits = number.rpartition("-")
    short = digits.lstrip("0") or digits
    return f"{number} {prefix}-{short} {short}" if prefix and digits.isdigit() else number
