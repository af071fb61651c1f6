"""Who is asking, from what they say: the licensee by IČO or company name, the user by name.

InTouch's page: "Postačují takové údaje, které jednoznačně určí, o jakého nabyvatele se jedná
(např. IČ nebo název společnosti) a o jakého uživatele se jedná (jméno a příjmení)". The hotline
types them into the phone form; an e-mail from an unknown address writes them in its text.
Pure: callers pass the vendor's organisations and contacts as plain tuples.

Names are compared folded (no diacritics, no case) and without the legal form, so
"Autodíly Ústí", "AUTODILY USTI s. r. o." and "Autodíly Ústí, spol. s r.o." are one company.
A name that fits several organisations identifies none of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from podpora.core.text import fold

# Czech and Slovak legal forms (and a few foreign ones), folded, with or without spaces/dots.
_LEGAL_FORMS = re.compile(
    r"[\s,]+(?:spol\.?\s*s\s*r\.?\s*o\.?|s\.?\s*r\.?\s*o\.?|a\.?\s*s\.?|k\.?\s*s\.?|"
    r"v\.?\s*o\.?\s*s\.?|z\.?\s*s\.?|s\.?\s*p\.?|o\.?\s*p\.?\s*s\.?|z\.?\s*u\.?|se|"
    r"druzstvo|gmbh|ltd\.?|inc\.?)\s*$"
)
_WORDS = re.compile(r"[^\W_]+")
# "28113320", "281 13 320", "28 113 320"
_ICO = re.compile(r"(?<!\d)(\d{3} ?\d{2} ?\d{3}|\d{2} \d{3} \d{3})(?!\d)")


def company_key(name: str) -> str:
    """The company name as compared: folded words without the legal form."""
    text = fold(name).strip()
    previous = None
    while previous != text:  # "Alfa, s.r.o., a.s." is rare; strip any trailing forms
        previous, text = text, _LEGAL_FORMS.sub("", text).strip(" ,.")
    return " ".join(_WORDS.findall(text))


def person_key(first: str, last: str) -> str:
    """A person's name as the hotline's look-up compares it: folded words between spaces
    (" jana novakova "), so that " nov" finds the beginning of any word of it."""
    words = _WORDS.findall(fold(f"{first} {last}"))
    return f" {' '.join(words)} "[:170] if words else ""


def query_words(text: str) -> list[str]:
    """The folded words of what the agent typed ("Nováková Ja" -> ["novakova", "ja"])."""
    return _WORDS.findall(fold(text or ""))


def ico_valid(ico: str) -> bool:
    """8 digits with the mod-11 check digit (Czech and Slovak IČO)."""
    if len(ico) != 8 or not ico.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(ico[:7], range(8, 1, -1), strict=True))
    return int(ico[7]) == (11 - total % 11) % 10


def icos_in(text: str) -> list[str]:
    """Valid IČOs written in ``text`` ("IČ: 28113320", "IČO 281 13 320")."""
    found: list[str] = []
    for match in _ICO.finditer(text or ""):
        ico = match.group(1).replace(" ", "")
        if ico_valid(ico) and ico not in found:
            found.append(ico)
    return found


def organization_by_name(name: str, organizations: Iterable[tuple[int, str]]) -> int | None:
    """The one organisation (id, name) whose name is ``name`` (folded, without legal form)."""
    key = company_key(name)
    if not key:
        return None
    hits = {pk for pk, org_name in organizations if company_key(org_name) == key}
    return hits.pop() if len(hits) == 1 else None


def _contains(haystack: str, needle: str) -> bool:
    return bool(needle) and f" {needle} " in f" {haystack} "


def organization_in_text(text: str, organizations: Sequence[tuple[int, str, str]]) -> int | None:
    """The one organisation (id, name, IČO) that ``text`` names by a valid IČO or by its name."""
    icos = set(icos_in(text))
    by_ico = {pk for pk, _name, ico in organizations if ico and ico in icos}
    if len(by_ico) == 1:
        return by_ico.pop()
    if by_ico:
        return None
    words = " ".join(_WORDS.findall(fold(text or "")))
    named = {pk: company_key(name) for pk, name, _ico in organizations}
    hits = {pk: key for pk, key in named.items() if _contains(words, key)}
    # "Reality Sever" names that company, not also the company "Sever"
    longest = {
        pk
        for pk, key in hits.items()
        if not any(other != key and _contains(other, key) for other in hits.values())
    }
    return longest.pop() if len(longest) == 1 else None


def person_in_text(text: str, people: Iterable[tuple[int, str, str]]) -> int | None:
    """The one person (id, first name, last name) whose full name ``text`` contains, in either
    order ("Lukáš Procházka", "Prochazka Lukas")."""
    words = " ".join(_WORDS.findall(fold(text or "")))
    hits = set()
    for pk, first, last in people:
        first_key, last_key = (
            " ".join(_WORDS.findall(fold(first))),
            " ".join(_WORDS.findall(fold(last))),
        )
        if not first_key or not last_key:
            continue
        if _contains(words, f"{first_key} {last_key}") or _contains(
            words, f"{last_key} {first_key}"
        ):
            hits.add(pk)
    return hits.pop() if len(hits) == 1 else None
