"""What a stored message's outcome says is kept as a code and its values and read in the
reader's language: Czech, Slovak or English, sizes in words, never the loop check's English."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from podpora.mail import evidence

from .helpers import build


@pytest.mark.parametrize(
    ("language", "code", "params", "expected"),
    [
        ("cs", "too_large", {"size": 31_981_568, "limit": 26_214_400}, "Zpráva má 30,5"),
        ("en", "too_large", {"size": 31_981_568, "limit": 26_214_400}, "The message is 30.5"),
        ("sk", "closed_ticket", {"number": "AC-7"}, "AC-7"),
        ("cs", "own_address", {"sender": "podpora@acme.cz"}, "naše vlastní adresa"),
        ("en", "auto_submitted", {"value": "auto-replied"}, "sent by a machine"),
        ("cs", "", {}, "volný text"),  # no code: the stored free text
        ("cs", "unknown_in_this_version", {}, "volný text"),
        ("cs", "closed_ticket", {}, "volný text"),  # its values missing (an old row)
    ],
)
def test_text(language, code, params, expected):
    with translation.override(language):
        assert expected in evidence.text(code, params, "volný text")


@given(st.text(max_size=40), st.dictionaries(st.sampled_from(["size", "number", "x"]), st.text()))
def test_text_never_raises(code, params):
    assert isinstance(evidence.text(code, params, "f"), str)


def test_every_code_reads_in_every_language():
    params = {"size": 1, "limit": 2, "number": "AC-1", "sender": "a@b", "value": "v"}
    params["message_id"] = "<x@y>"
    for code in evidence.MESSAGES:
        texts = {}
        for language in ("cs", "sk", "en"):
            with translation.override(language):
                texts[language] = evidence.text(code, params)
        assert all("%(" not in t for t in texts.values()), code
        assert len(set(texts.values())) == 3, (code, texts)  # translated, not the Czech


def test_a_quarantined_auto_reply_reads_in_the_agents_language(client, cast, mailbox, deliver):
    row = deliver(
        build(subject="Mimo kancelář", headers={"Auto-Submitted": "auto-replied"}), mailbox
    )
    assert (row.state, row.reason, row.detail_code) == (
        "quarantined",
        "auto_reply",
        "auto_submitted",
    )
    client.force_login(cast.agent)
    page = client.get(reverse("mail:quarantine_detail", args=[row.pk])).content.decode()
    assert "Hlavička Auto-Submitted: auto-replied (zprávu odeslal automat)." in page
    cast.agent.language = "en"
    cast.agent.save()
    page = client.get(reverse("mail:quarantine_detail", args=[row.pk])).content.decode()
    assert "Auto-Submitted header: auto-replied (sent by a machine)." in page
