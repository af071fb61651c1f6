"""Letters greet people as Czechs write them: in the vocative ("Dobrý den, pane Nováku")."""

import re

from vokativ import sex, vokativ

from podpora.core.text import fold

#: How letters open in Czech, Slovak and English, folded (lower case, no diacritics).
_OPENINGS = re.compile(
    r"(dobry\s+den|dobry\s+vecer|dobre\s+rano|dobre\s+odpoledne|vazen[aiy]|vazeny|"
    r"zdravim|ahoj|dear|hello|hi|good\s+(morning|afternoon|evening))(?![a-z0-9])"
)


def salutation(first_name: str, last_name: str, language: str = "cs") -> str:
    address = vocative_address(first_name, last_name, language)
    if language == "en":
        return f"Dear {address}" if address else "Hello"
    hello = "Dobrý deň" if language == "sk" else "Dobrý den"
    return f"{hello}, {address}" if address else hello


def vocative_address(first_name: str, last_name: str, language: str = "cs") -> str:
    """How a letter addresses a person: "paní Dvořáková", "pane Nováku" (the vocative),
    "pán Kováč" in Slovak, "John Smith" in English; "" without a surname (English: a name)."""
    last = (last_name or "").strip()
    if language == "en":
        return f"{first_name} {last}".strip()
    if not last:
        return ""
    woman = sex(last) == "w"
    if language == "sk":
        return f"{'pani' if woman else 'pán'} {last}"
    form = vokativ(last, woman=woman, last_name=True).capitalize()
    # vokativ lower-cases; keep the original capitals of multi-part names.
    form = "-".join(p[:1].upper() + p[1:] for p in form.split("-"))
    return f"{'paní' if woman else 'pane'} {form}"


def opens_with_greeting(text: str) -> bool:
    """Whether a letter's first line greets its reader ("Dobrý den, paní Dvořáková,", "Vážený
    pane Nováku", "Dear John"): a reply that does, gets no second greeting from the template."""
    for line in (text or "").splitlines():
        if line.strip():
            return _OPENINGS.match(fold(line.strip())) is not None
    return False
