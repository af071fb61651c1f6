"""The version a customer names in an e-mail or a request: table tests on real-looking texts and
property tests of the parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podpora.catalog.version_text import find_version, match_version, stated_versions

TEXTS = [
    ("Dobrý den, používáme verzi 10.0 a nejde nám odeslat hromadný e-mail.", ["10.0"]),
    ("Ve verzi 10.0.3 padá export do Excelu.", ["10.0.3"]),
    ("verze 10.0.3", ["10.0.3"]),
    ("Máme nainstalovanou verzi: 9.5, po aktualizaci…", ["9.5"]),
    ("VERZE Č. 9.4 – tisková sestava", ["9.4"]),
    ("Používáme verzi programu 10.0 na dvou počítačích.", ["10.0"]),
    ("Dobrý deň, vo verzii 10.0 nefunguje tlač.", ["10.0"]),
    ("Používame verziu InTouch CRM 9.5.", ["9.5"]),
    ("We use version 10.0.2 of InTouch.", ["10.0.2"]),
    ("Po přechodu z verze 9.4 na verzi 10.0 chybí pole.", ["9.4", "10.0"]),
    ("Ve verzi v10.0 ...", ["10.0"]),
    # no version named
    ("Nejde odeslat hromadný e-mail, volejte 478 571 021.", []),
    ("Faktura 2026.12 za verzovací systém", []),
    ("Verze z roku 2024 už nefunguje.", []),
    ("Starší verze nefungují, máme 15 uživatelů.", []),
    ("", []),
]


@pytest.mark.parametrize("text,expected", TEXTS)
def test_stated_versions_in_real_looking_texts(text, expected):
    assert stated_versions(text) == expected


LISTED = ["9.4", "9.5", "10.0"]
MATCHES = [
    ("10.0", "10.0"),
    ("10.0.3", "10.0"),  # a patch of a listed version
    ("10", "10.0"),
    ("v9.5", "9.5"),
    ("9.5.1.2", "9.5"),
    ("11.0", None),
    ("9", None),  # 9.4 or 9.5: not "9.0", so nothing is guessed
    ("1.0", None),
]


@pytest.mark.parametrize("stated,expected", MATCHES)
def test_match_version(stated, expected):
    assert match_version(stated, LISTED) == expected


def test_find_version_takes_the_first_listed_one():
    assert find_version("z verze 8.1 na verzi 9.5", LISTED) == "9.5"
    assert find_version("verze 12.0", LISTED) is None


numbers = st.lists(st.integers(0, 2000), min_size=1, max_size=4).map(
    lambda parts: ".".join(map(str, parts))
)
SENTENCES = [
    "Používáme verzi {v}.",
    "Dobrý den,\nve verzi {v} nejde tisk.",
    "verze {v}",
    "Verze: {v}, prosím o pomoc",
    "vo verzii {v} to nefunguje",
    "používame verziu {v}",
    "Version {v} crashes",
]


@given(number=numbers, template=st.sampled_from(SENTENCES))
def test_a_version_in_a_sentence_is_found(number, template):
    assert stated_versions(template.format(v=number)) == [number]


@given(text=st.text(max_size=300))
def test_the_parser_never_fails_and_finds_only_numbers(text):
    for found in stated_versions(text):
        assert all(part.isdigit() for part in found.split("."))


@given(text=st.text(alphabet=st.characters(blacklist_characters="vV"), max_size=300))
def test_without_the_word_no_version_is_found(text):
    assert stated_versions(text) == []


@given(number=numbers, extra=st.lists(st.integers(0, 99), max_size=2))
def test_a_patch_means_the_listed_version(number, extra):
    patch = ".".join([number, *map(str, extra)])
    assert match_version(patch, [number, "99999"]) == number
