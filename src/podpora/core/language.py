"""The language a request is written in, for the plans that serve only some languages.

Lingua (``lingua-language-detector``) decides, restricted to the languages our customers
write in (Czech, Slovak, English, German, Polish): its n-gram models ship inside the wheel
(nothing is downloaded at run time), it tells Czech from Slovak on a sentence, and a request
costs about a millisecond once the models are loaded (``bench/bench_language.py``).

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
#: The expected language is kept while at least this share of the text is in it.
KEEP_EXPECTED = 0.35
#: Another language is taken only when at least this share of the text is in it ...
SWITCH = 0.5
#: ... and this share when both are West Slavic (Czech, Slovak, Polish), easily confused.
SWITCH_WITHIN_FAMILY = 0.8
WEST_SLAVIC = frozenset({"cs", "sk", "pl"})
#: Longer texts are cut: the first few thousand characters tell the language.
MAX_CHARS = 4000


def choose(shares: Mapping[str, float], expected: str, letters: int) -> str:
    """The language of a text from the share of its letters in each language (code -> 0..1).

    ``expected``: the customer's own language (their contact's, the page's they wrote on);
    ``letters``: how many letters the text has. A Czech signature under an English text does
    not make it Czech; a Czech text with a Slovak-looking phrase, or written without
    diacritics, stays Czech."""
    expected = (expected or "cs").split("-")[0].lower()
    if letters < MIN_LETTERS or not shares:
        return expected
    mine = shares.get(expected, 0.0)
    best, value = max(shares.items(), key=lambda item: item[1])
    if best == expected or mine >= KEEP_EXPECTED:
        return expected
    if expected in WEST_SLAVIC and best in WEST_SLAVIC:
        # Czech without diacritics looks Slovak or Polish: only a text that is nearly all
        # in the other language is taken as written in it
        return best if value >= SWITCH_WITHIN_FAMILY else expected
    return best if value >= SWITCH else expected


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [Language.CZECH, Language.SLOVAK, Language.ENGLISH, Language.GERMAN]
    languages.append(Language.POLISH)
    # the high-accuracy mode: the low one (trigrams only) loads faster but takes Czech
    # written without diacritics for German or Slovak
    return LanguageDetectorBuilder.from_languages(*languages).build()


def shares(text: str) -> dict[str, float]:
    """The share of ``text``'s letters in each language, by the detector's sections of it
    (a signature or a quoted line in another language is a section of its own)."""
    text = text[:MAX_CHARS]
    counts: dict[str, int] = {}
    for section in _detector().detect_multiple_languages_of(text):
        code = section.language.iso_code_639_1.name.lower()
        part = text[section.start_index : section.end_index]
        counts[code] = counts.get(code, 0) + letters_in(part)
    total = sum(counts.values())
    return {code: n / total for code, n in counts.items()} if total else {}


def letters_in(text: str) -> int:
    return sum(1 for ch in text[:MAX_CHARS] if ch.isalpha())


def request_language(text: str, expected: str) -> str:
    """The language ``text`` is written in, ``expected`` when the text does not say clearly."""
    text = text or ""
    letters = letters_in(text)
    if letters < MIN_LETTERS:
        return (expected or "cs").split("-")[0].lower()
    return choose(shares(text), expected, letters)


def warm_up_in_background() -> None:
    """Load the models in a thread at start-up, so the first request does not wait for them
    (a few seconds) — only when a plan serves some languages only: nothing else detects, and
    the models cost about 300 MB per process."""
    import threading

    try:
        from podpora.customers.models import Plan

        if not Plan.objects.exclude(languages=[]).exists():
            return
    except Exception:  # no database yet (before migrate): load when first needed
        return
    finally:
        from django.db import connection

        connection.close()  # not this thread's connection to keep before the workers fork

    def load() -> None:
        request_language("Dobrý den, nejde nám odeslat e-mail. Hello, it does not work.", "cs")

    threading.Thread(target=load, name="language-models", daemon=True).start()
