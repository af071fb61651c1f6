"""InTouch's published list of certified specialists: valid certificates only, searchable."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from podpora.catalog.models import Specialist


@pytest.fixture
def intouch(seed):
    from podpora.demo import VENDORS, load_specialists

    today = timezone.localdate()
    vendor = seed("intouch", today)
    load_specialists(next(v for v in VENDORS if v.slug == "intouch"), vendor, today)
    return vendor


def names(client, query: str = "") -> list[str]:
    r = client.get(f"/specialiste/intouch/{query}")
    assert r.status_code == 200
    return [s.name for s in r.context["specialists"]]


def test_anyone_sees_the_specialists_with_a_valid_certificate(client, intouch):
    assert names(client) == ["Ing. Radek Šťastný", "Jana Doležalová"]  # by region, then name
    page = client.get("/specialiste/intouch/").content.decode()
    assert "Milan Kučera" not in page  # the certificate ran out
    assert "InTouch CRM" in page and "mailto:stastny@crmservis.example" in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?q=stastny", ["Ing. Radek Šťastný"]),
        ("?q=CRM+servis", ["Ing. Radek Šťastný"]),
        ("?q=kucera", []),  # expired, not found either
        ("?region=Praha", ["Jana Doležalová"]),
        ("?region=Mars", ["Ing. Radek Šťastný", "Jana Doležalová"]),  # unknown region: all
    ],
)
def test_search_and_region(client, intouch, query, expected):
    assert names(client, query) == expected


def test_unpublished_and_other_vendors(client, intouch, seed):
    Specialist.objects.filter(name="Jana Doležalová").update(published=False)
    Specialist.objects.filter(name="Milan Kučera").update(
        certified_until=timezone.localdate() + dt.timedelta(days=1)
    )
    assert names(client) == ["Milan Kučera", "Ing. Radek Šťastný"]
    seed("estelar", timezone.localdate())
    assert client.get("/specialiste/estelar/").context["specialists"].count() == 0
    assert client.get("/specialiste/nobody/").status_code == 404


def test_the_knowledge_base_points_to_the_list(client, intouch):
    assert "/specialiste/intouch/" in client.get("/kb/intouch/").content.decode()
