"""The language of a request's text: the pure choice, and the detector on real-looking texts."""

from __future__ import annotations

import pytest

from podpora.core.language import choose, request_language

# shares of the text per language, expected, letters -> chosen
CHOICES = [
    ({"cs": 0.9, "sk": 0.1}, "cs", 60, "cs"),
    ({"en": 0.99, "cs": 0.01}, "cs", 60, "en"),  # clearly English
    ({"en": 0.75, "cs": 0.25}, "cs", 90, "en"),  # English with a Czech signature
    ({"sk": 0.7, "cs": 0.3}, "cs", 60, "cs"),  # a Czech customer who sounds Slovak stays Czech
    ({"sk": 0.54, "pl": 0.46}, "cs", 40, "cs"),  # Czech without diacritics
    ({"sk": 0.9, "cs": 0.1}, "cs", 60, "sk"),  # really Slovak
    ({"sk": 0.9, "cs": 0.1}, "sk", 60, "sk"),
    ({"en": 0.6, "cs": 0.4}, "cs", 60, "cs"),  # as much Czech as a customer's note has
    ({"en": 0.95}, "cs", 10, "cs"),  # too short to tell
    ({"en": 0.45, "de": 0.4, "cs": 0.15}, "cs", 60, "cs"),  # no language has most: unsure
    ({}, "sk", 60, "sk"),
    ({"cs": 0.9}, "cs-CZ", 60, "cs"),
    ({"de": 0.9}, "", 60, "de"),
]


@pytest.mark.parametrize("shares,expected,letters,chosen", CHOICES)
def test_choose(shares, expected, letters, chosen):
    assert choose(shares, expected, letters) == chosen


TEXTS = [
    ("Dobrý den, po aktualizaci nám nejde odeslat hromadný e-mail zákazníkům.", "cs", "cs"),
    ("Dobrý deň, po aktualizácii nám nejde odoslať hromadný e-mail zákazníkom.", "sk", "sk"),
    ("Hello, after the update we cannot send the mass e-mail to our customers.", "cs", "en"),
    ("Guten Tag, nach dem Update können wir keine Serienmails mehr versenden.", "cs", "de"),
    ("Dzień dobry, po aktualizacji nie możemy wysłać masowej wiadomości e-mail.", "cs", "pl"),
    ("Nefunguje tisk", "cs", "cs"),  # short: the customer's own language
    (
        "Mass e-mail does not work\nHello, we use version 10.0 and cannot send the mass e-mail "
        "to our customers.\nLukáš Procházka, Autodíly Ústí s.r.o.",
        "cs",
        "en",
    ),
    ("Dobrý den, po aktualizaci nám nejde odeslat e-mail.\nS pozdravem Lukáš", "cs", "cs"),
    ("Dobry den, nejde nam tisk faktur, prosim o pomoc", "cs", "cs"),
    ("Dobry den, ve verzi 10.0.3 nejde odeslat hromadny e-mail.\nIC: 28113322", "cs", "cs"),
    ("Hello, after the update we cannot send the mass e-mail to our customers.", "en", "en"),
]


@pytest.mark.parametrize("text,expected,detected", TEXTS)
def test_request_language_of_real_texts(text, expected, detected):
    assert request_language(text, expected) == detected
