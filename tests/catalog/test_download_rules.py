"""Who may download a release: the rules of catalog/downloads.py, case by case."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from podpora.catalog.downloads import LicenceTerms, ReleaseTerms, decide

PRAGUE = ZoneInfo("Europe/Prague")
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=PRAGUE)
D = dt.date


JUNE_1 = D(2026, 6, 1)
JUNE_1_AT_9 = dt.datetime(2026, 6, 1, 9, tzinfo=PRAGUE)


def release(released_on=JUNE_1, published=JUNE_1_AT_9, product=1):
    return ReleaseTerms(product, released_on, published)


CASES = {
    # name: (release, licences, role, expected code, params)
    "licence-without-a-limit": (release(), [LicenceTerms(1)], "authorised", "ok", {}),
    "covered-by-the-max-version-date": (
        release(),
        [LicenceTerms(1, D(2026, 6, 1))],
        "authorised",
        "ok",
        {},
    ),
    "released-a-day-after-the-max-version-date": (
        release(D(2026, 6, 2)),
        [LicenceTerms(1, D(2026, 6, 1))],
        "authorised",
        "beyond_licence",
        {"max_version_date": "2026-06-01"},
    ),
    "the-most-generous-licence-counts": (
        release(D(2026, 9, 1)),
        [LicenceTerms(1, D(2026, 1, 1)), LicenceTerms(1, D(2026, 10, 1))],
        "customer_admin",
        "ok",
        {},
    ),
    "the-latest-limit-is-named": (
        release(D(2026, 9, 1)),
        [LicenceTerms(1, D(2026, 1, 1)), LicenceTerms(1, D(2026, 3, 1))],
        "authorised",
        "beyond_licence",
        {"max_version_date": "2026-03-01"},
    ),
    "a-licence-of-another-product": (release(), [LicenceTerms(2)], "authorised", "no_licence", {}),
    "no-licence-at-all": (release(), [], "authorised", "no_licence", {}),
    "an-end-user-of-the-customer": (release(), [LicenceTerms(1)], "end_user", "end_user", {}),
    "not-published": (
        release(published=None),
        [LicenceTerms(1)],
        "authorised",
        "not_published",
        {},
    ),
    "published-later-today": (
        release(published=NOW + dt.timedelta(minutes=1)),
        [LicenceTerms(1)],
        "authorised",
        "not_published",
        {},
    ),
    "published-this-very-minute": (
        release(published=NOW),
        [LicenceTerms(1)],
        "authorised",
        "ok",
        {},
    ),
    "a-version-without-a-date-counts-from-its-publication": (
        release(None, dt.datetime(2026, 6, 2, 9, tzinfo=PRAGUE)),
        [LicenceTerms(1, D(2026, 6, 1))],
        "authorised",
        "beyond_licence",
        {"max_version_date": "2026-06-01"},
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rules(case):
    rel, licences, role, code, params = case
    assert decide(rel, licences, role=role, now=NOW) == (code, params)
