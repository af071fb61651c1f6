"""The language a request is written in, for the plans that serve only some languages.

Lingua (``lingua-language-detector``) decides, restricted to the languages our customers
write in (Czech, Slovak, English, German, Polish): its n-gram models ship inside the wheel
(nothing is downloaded at run time), it tells Czech from Slovak on a sentence, and a request
costs well under a millisecond once a language's model is loaded (``bench/bench_language.py``).

Detection is a hint, never a trap: :func:`choose` keeps the language the customer is known by
unless the text is long enough and clearly in another one, so a Czech request that looks a
little Slovak is still Czech. :func:`choose` is pure; :func:`request_language` feeds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

#: ISO 639-1 codes we detect.
LANGUAGES = ("cs", "sk", "en", "de", "pl")


def gettext_noop(message: str) -> str:
    """Marks a msgid for translation without importing Django."""
    return message


#: Names of the languages as people read them (Czech msgids; translate with gettext).
NAMES = {
    "cs": gettext_noop("čeština"),
    "sk": gettext_noop("slovenština"),
    "en": gettext_noop("angličtina"),
    "de": gettext_noop("němčina"),
    "pl": gettext_noop("polština"),
}
#: Fewer letters than this say too little ("Nefunguje tisk" could be Slovak too).
MIN_LETTERS = 20
#: The expected language is kept while the detector gives it at least this confidence.
KEEP_EXPECTED = 0.2
#: Another language is taken only when the detector is at least this sure of it.
SWITCH = 0.6
#: Longer texts are cut: the first few thousand characters tell the language.
MAX_CHARS = 4000


def choose(confidences: Mapping[str, float], expected: str, letters: int) -> str:
    """The language of a text from the detector's ``confidences`` (code -> 0..1).

    ``expected``: the customer's own language (their contact's, the page's they wrote on);
    ``letters``: how many letters the text has."""
    expected = (expected or "cs").split("-")[0].lower()
    if letters < MIN_LETTERS or not confidences:
        return expected
    if confidences.get(expected, 0.0) >= KEEP_EXPECTED:
        return expected
    best, value = max(confidences.items(), key=lambda item: item[1])
    return best if value >= SWITCH else expected


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [Language.CZECH, Language.SLOVAK, Language.ENGLISH, Language.GERMAN]
    languages.append(Language.POLISH)
    return LanguageDetectorBuilder.from_languages(*languages).build()


def confidences(text: str) -> dict[str, float]:
    """The detector's confidence per language code for ``text``."""
    values = _detector().compute_language_confidence_values(text[:MAX_CHARS])
    return {v.language.iso_code_639_1.name.lower(): v.value for v in values}


def letters_in(text: str) -> int:
    return sum(1 for ch in text[:MAX_CHARS] if ch.isalpha())


def request_language(text: str, expected: str) -> str:
    """The language ``text`` is written in, ``expected`` when the text does not say clearly."""
    text = text or ""
    letters = letters_in(text)
    if letters < MIN_LETTERS:
        return (expected or "cs").split("-")[0].lower()
    return choose(confidences(text), expected, letters)
