"""Promises in words, with the plural forms of Czech, Slovak and English."""

import pytest
from django.utils import translation

from podpora.sla import promise

CASES = [
    # spec, cs, sk, en
    ("1wd", "do 1 pracovního dne", "do 1 pracovného dňa", "within 1 working day"),
    ("2wd", "do 2 pracovních dnů", "do 2 pracovných dní", "within 2 working days"),
    ("4wd", "do 4 pracovních dnů", "do 4 pracovných dní", "within 4 working days"),
    ("5wd", "do 5 pracovních dnů", "do 5 pracovných dní", "within 5 working days"),
    ("21wd", "do 21 pracovních dnů", "do 21 pracovných dní", "within 21 working days"),
    (
        "1h",
        "do 1 hodiny v pracovní době",
        "do 1 hodiny v pracovnom čase",
        "within 1 hour of business hours",
    ),
    (
        "3h",
        "do 3 hodin v pracovní době",
        "do 3 hodín v pracovnom čase",
        "within 3 hours of business hours",
    ),
    (
        "8h",
        "do 8 hodin v pracovní době",
        "do 8 hodín v pracovnom čase",
        "within 8 hours of business hours",
    ),
    (
        "120m",
        "do 2 hodin v pracovní době",
        "do 2 hodín v pracovnom čase",
        "within 2 hours of business hours",
    ),
    (
        "1m",
        "do 1 minuty v pracovní době",
        "do 1 minúty v pracovnom čase",
        "within 1 minute of business hours",
    ),
    (
        "90m",
        "do 90 minut v pracovní době",
        "do 90 minút v pracovnom čase",
        "within 90 minutes of business hours",
    ),
    ("1d", "do 1 dne", "do 1 dňa", "within 1 day"),
    ("7d", "do 7 dnů", "do 7 dní", "within 7 days"),
    ("3d", "do 3 dnů", "do 3 dní", "within 3 days"),
]


@pytest.mark.parametrize(("spec", "cs", "sk", "en"), CASES)
def test_within_in_each_language(spec, cs, sk, en):
    for lang, expected in (("cs", cs), ("sk", sk), ("en", en)):
        with translation.override(lang):
            assert promise.within(spec) == expected, lang


@pytest.mark.parametrize("spec", ["", "  ", "soon", "5x", None])
def test_no_promise_for_an_empty_or_bad_spec(spec):
    assert promise.within(spec) == ""
    assert promise.promise("first_response", spec) == ""


@pytest.mark.parametrize(
    ("lang", "kind", "spec", "expected"),
    [
        ("cs", "first_response", "2wd", "odpověď nejpozději do 2 pracovních dnů"),
        ("cs", "resolution", "3wd", "vyřešení nejpozději do 3 pracovních dnů"),
        ("cs", "resolution", "release", "vyřešení v nejbližší oficiální aktualizaci"),
        ("sk", "first_response", "1wd", "odpoveď najneskôr do 1 pracovného dňa"),
        ("en", "first_response", "4h", "answer within 4 hours of business hours at the latest"),
    ],
)
def test_whole_promise(lang, kind, spec, expected):
    with translation.override(lang):
        assert promise.promise(kind, spec) == expected


@pytest.mark.parametrize(
    ("spec", "parts"),
    [("90m", ("m", 90)), ("60m", ("h", 1)), ("2wd", ("wd", 2)), ("7D", ("d", 7)), ("x", None)],
)
def test_normalised(spec, parts):
    assert promise.normalised(spec) == parts


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.integers(min_value=1, max_value=10_000), st.sampled_from(["m", "h", "wd", "d"]))
def test_every_target_is_said_with_its_number(n, unit):
    for lang in ("cs", "sk", "en"):
        with translation.override(lang):
            words = promise.within(f"{n}{unit}")
            amount = n // 60 if unit == "m" and n % 60 == 0 else n
            assert words and f" {amount} " in f" {words} "
