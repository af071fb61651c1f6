"""Text helpers shared by search and numbering; pure."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so that "pozadavek" finds "Požadavek"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
