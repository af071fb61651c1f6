"""The language detector (~300 MB of models) is used only for vendors whose plans serve some
languages only."""

import pytest

from podpora.tickets import services
from tests.conftest import new_ticket


@pytest.fixture
def detector_calls(monkeypatch):
    calls = []

    def detect(text, expected):
        calls.append(text)
        return "sk"

    monkeypatch.setattr(services, "request_language", detect)
    return calls


@pytest.mark.django_db
def test_a_vendor_without_language_limits_never_detects(cast, detector_calls):
    cast.plan.languages = []
    cast.plan.save()
    t = new_ticket(cast, body="Dobrý deň, nefunguje nám tlač faktúr.", language="cs")
    assert detector_calls == []
    assert t.request_language == "cs"


@pytest.mark.django_db
def test_a_vendor_with_a_plan_limited_to_languages_detects(cast, detector_calls):
    assert cast.plan.languages == ["cs", "sk"]
    t = new_ticket(cast, body="Dobrý deň, nefunguje nám tlač faktúr.", language="cs")
    assert len(detector_calls) == 1
    assert t.request_language == "sk"
    # the limit removed: from the next ticket on, no detection (the cache sees the change)
    cast.plan.languages = []
    cast.plan.save()
    new_ticket(cast)
    assert len(detector_calls) == 1
