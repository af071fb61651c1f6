"""The version of the program a customer names in their own words; pure.

InTouch asks every request to state the version in use ("Uživatel je při čerpání služby TP
povinen uvést číslo verze"). People write it inside a sentence: "Používáme verzi 10.0",
"ve verzi 10.0.3", "verze: 10.0.3", in Slovak "vo verzii 10.0" or "používame verziu 10.0",
in English "version 10.0". :func:`stated_versions` finds those numbers; :func:`match_version`
picks the vendor's version they mean (a patch "10.0.3" of a listed "10.0" is that version).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from podpora.core.text import fold

# After folding (lower case, no diacritics): verze, verzi, verzí -> verzi, verzia, verziu,
# verzii, verzie, verzich, version(s)...
_WORD = r"\b(?:verz(?:e|i|ia|iu|ii|ie|ich|emi)|versions?|release)\b"
# "verze č. 10.0", "verzi číslo 10.0", "verze: 10.0", "verzi v10.0"
_MARK = r"(?:\s*(?:c\.|cislo|no\.|number|nr\.)\s*)?\s*[:=]?\s*"
# a few words may stand between: "verzi programu 10.0", "verziu InTouch CRM 10.0"
_BETWEEN = r"((?:[^\W\d_][\w-]*\s+){0,3}?)"
_NUMBER = r"v?(\d{1,4}(?:\.\d{1,4}){0,3})(?![\d.]*\d)(?!\s*(?:%|kc|eur|let|rok|dni|hod|min))"
_PATTERN = re.compile(_WORD + _MARK + _BETWEEN + _NUMBER, re.IGNORECASE)
#: Words after which a number is no version: "verze z roku 2024", "verzi ze 3. 12."
_NOT_BEFORE_NUMBER = frozenset(
    {"z", "ze", "od", "do", "roku", "roce", "rok", "from", "of", "since", "year", "pred", "po"}
)


def stated_versions(text: str) -> list[str]:
    """Version numbers named in ``text``, in order and without repeats ("10.0.3", "9.5")."""
    found: list[str] = []
    for match in _PATTERN.finditer(fold(text or "")[:200_000]):
        between = match.group(1).split()
        if any(word in _NOT_BEFORE_NUMBER for word in between):
            continue
        number = match.group(2)
        if number not in found:
            found.append(number)
    return found


def _parts(name: str) -> tuple[str, ...]:
    return tuple(fold(name).strip().lstrip("v").split("."))


def match_version(stated: str, names: Iterable[str]) -> str | None:
    """The listed version ``stated`` means: the same number, else the longest listed version it
    is a patch of ("10.0.3" -> "10.0"); a listed "10.0" is also meant by a stated "10"."""
    wanted = _parts(stated)
    best: tuple[int, str] | None = None
    for name in names:
        have = _parts(name)
        if have == wanted:
            return name
        if wanted[: len(have)] == have and (best is None or len(have) > best[0]):
            best = (len(have), name)
        elif have[: len(wanted)] == wanted and all(p == "0" for p in have[len(wanted) :]):
            best = best or (len(wanted), name)
    return best[1] if best else None


def find_version(text: str, names: Iterable[str]) -> str | None:
    """The first version named in ``text`` that the product lists, or None."""
    listed = list(names)
    for stated in stated_versions(text):
        name = match_version(stated, listed)
        if name is not None:
            return name
    return None
