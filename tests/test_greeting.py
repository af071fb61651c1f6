import pytest

from podpora.core.greeting import salutation


@pytest.mark.parametrize(
    ("first", "last", "lang", "expected"),
    [
        ("Jan", "Novák", "cs", "Dobrý den, pane Nováku"),
        ("Bohumil", "Dvořák", "cs", "Dobrý den, pane Dvořáku"),
        ("Petr", "Svoboda", "cs", "Dobrý den, pane Svobodo"),
        ("Eva", "Dvořáková", "cs", "Dobrý den, paní Dvořáková"),
        ("Josef", "Kratochvíl", "cs", "Dobrý den, pane Kratochvíle"),
        ("", "", "cs", "Dobrý den"),
        ("Marek", "Kováč", "sk", "Dobrý deň, pán Kováč"),
        ("Zuzana", "Horváthová", "sk", "Dobrý deň, pani Horváthová"),
        ("John", "Smith", "en", "Dear John Smith"),
    ],
)
def test_salutation_in_vocative(first, last, lang, expected):
    assert salutation(first, last, lang) == expected
