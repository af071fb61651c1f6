"""Identifying the licensee and the user from what they say (InTouch: IČO or company name,
first and last name): table tests of the pure rules."""

from __future__ import annotations

import pytest

from podpora.customers.identify import (
    company_key,
    icos_in,
    organization_by_name,
    organization_in_text,
    person_in_text,
)

ORGS = [
    (1, "Autodíly Ústí s.r.o.", "28113322"),
    (2, "Reality Sever a.s.", "27345599"),
    (3, "Sever", ""),
    (4, "Stavby Morava, spol. s r.o.", ""),
    (5, "Stavby Morava a.s.", ""),  # the same name twice: identifies neither
]

KEYS = [
    ("Autodíly Ústí s.r.o.", "autodily usti"),
    ("AUTODILY USTI S. R. O.", "autodily usti"),
    ("Autodíly Ústí, spol. s r. o.", "autodily usti"),
    ("Reality Sever, a. s.", "reality sever"),
    ("Kučera IT", "kucera it"),
    ("  ", ""),
]


@pytest.mark.parametrize("name,key", KEYS)
def test_company_key(name, key):
    assert company_key(name) == key


NAMES = [
    ("autodily usti", 1),
    ("Autodíly Ústí, s. r. o.", 1),
    ("REALITY SEVER", 2),
    ("Sever", 3),
    ("Stavby Morava", None),  # two organisations of that name
    ("Autodíly", None),  # a part of a name is not the name
    ("", None),
]


@pytest.mark.parametrize("name,expected", NAMES)
def test_organization_by_name(name, expected):
    assert organization_by_name(name, [(pk, n) for pk, n, _ico in ORGS]) == expected


TEXTS = [
    ("Dobrý den, píšu za firmu Autodíly Ústí s.r.o., Lukáš Procházka", 1),
    ("IČ: 28113322\nnejde odeslat e-mail", 1),
    ("IČO 281 13 322", 1),
    ("IČO: 28113323", None),  # check digit wrong: not an IČO
    ("Reality Sever a.s., Lenka Černá", 2),  # "Sever" is another company, but only inside
    ("zdraví autodily usti", 1),
    ("Stavby Morava", None),
    ("IČ 28113322, Reality Sever", 1),  # the IČO decides
    ("nic", None),
]


@pytest.mark.parametrize("text,expected", TEXTS)
def test_organization_in_text(text, expected):
    assert organization_in_text(text, ORGS) == expected


def test_icos_in_text():
    assert icos_in("IČ: 28113322, DIČ CZ28113322, tel. 478 571 021") == ["28113322"]


PEOPLE = [(10, "Lukáš", "Procházka"), (11, "Lenka", "Černá"), (12, "Jan", "Novák")]
PERSONS = [
    ("S pozdravem\nLukáš Procházka\nAutodíly Ústí", 10),
    ("Procházka Lukáš", 10),
    ("lukas prochazka", 10),
    ("Lenka Černá a Jan Novák", None),  # two people: which one is asking?
    ("Procházková Lucie", None),
    ("Lukáš", None),
]


@pytest.mark.parametrize("text,expected", PERSONS)
def test_person_in_text(text, expected):
    assert person_in_text(text, PEOPLE) == expected
