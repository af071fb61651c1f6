"""split_reply folds history and signatures but never loses a line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podpora.mail.parse import parse_message
from podpora.mail.quoting import REPLY_MARKERS, marker_line, split_reply

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated():
    """Pure tests: replace the suite-wide Django fixture (this file runs with -p no:django)."""


def _content(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def assert_nothing_lost(text: str, new: str, quoted: str) -> None:
    assert _content(new) + _content(quoted) == _content(text)


def test_czech_reply_fixture() -> None:
    text = parse_message((FIXTURES / "cz_reply_quoted.eml").read_bytes()).text_body
    new, quoted = split_reply(text, "cs")
    assert new == (
        "Dobrý den,\n\nděkuji, po restartu tiskové služby už faktury tisknou. "
        "Požadavek můžete uzavřít.\n\nJan Novák"
    )
    assert quoted.startswith("Dne 12. 11. 2026 v 10:15 Jan Novák napsal(a):\n> Dobrý den,")
    assert_nothing_lost(text, new, quoted)


def test_markers_for_each_language() -> None:
    assert set(REPLY_MARKERS) == {"cs", "sk", "en"}
    assert marker_line("cs") == "##- Pište prosím nad tuto čáru -##"
    assert marker_line("en") == "##- Please type your reply above this line -##"
    assert marker_line("de") == REPLY_MARKERS["cs"]
    for marker in REPLY_MARKERS.values():
        text = f"Funguje to, díky.\n\n> {marker}\n> Dobrý den, váš požadavek ..."
        assert split_reply(text) == (
            "Funguje to, díky.",
            f"> {marker}\n> Dobrý den, váš požadavek ...",
        )


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("Díky!\n\nOn Mon, Nov 16, 2026 at 10:00 AM Jan <j@x.cz> wrote:\n> hi", "Díky!"),
        ("Ďakujem\n\nDňa 12. 11. 2026 o 10:15 Ján Kováč napísal(a):\n> ahoj", "Ďakujem"),
        ("ok\n\nst 12. 11. 2026 v 10:15 odesílatel Jan Novák <jan@x.cz> napsal:\n> text", "ok"),
        (
            "Odpoveď\n\nOd: Ján <j@x.sk>\nOdoslané: pondelok\nKomu: podpora\nPredmet: x\n\ntext",
            "Odpoveď",
        ),
        ("Hotovo.\n\n-----Původní zpráva-----\nOd: podpora@x.cz\nPředmět: x", "Hotovo."),
        ("Am 12.11.2026 schrieb Hans:\n> Hallo", "Am 12.11.2026 schrieb Hans:"),
        ("Nová věc\n> stará\n> věc", "Nová věc"),
        ("Text\n\n-- \nJan Novák\nFirma s.r.o.", "Text"),
        ("Text\n\nS pozdravem,\nJan Novák\ntel. 777 123 456", "Text"),
        ("Text\n\nOdesláno z mého iPhonu", "Text"),
    ],
)
def test_split_points(text: str, new: str) -> None:
    got_new, quoted = split_reply(text)
    assert got_new == new
    assert_nothing_lost(text, got_new, quoted)


_REPLY = "Dobrý den,\n\npo aktualizaci na 5.2 už faktury tisknou.\n\nJana Nová"
_QUOTE = "> Dobrý den,\n> zkuste prosím aktualizovat na verzi 5.2.\n> Podpora ACME"
_OUTLOOK_BODY = "Dobrý den,\nzkuste prosím aktualizovat na verzi 5.2.\nPodpora ACME"


# One row per real-world client format (the id): its header block, and what follows it.
@pytest.mark.parametrize(
    ("header", "rest"),
    [
        pytest.param(
            "Dne čt 12. 11. 2026 10:16 uživatel Jana Nová <jana@firma.cz> napsal:",
            _QUOTE,
            id="gmail-cs",
        ),
        pytest.param(
            "Dne čt 12. 11. 2026 v 10:16 uživatel Jana Nová <\njana.nova@velmi-dlouha-firma.cz> napsal:",
            _QUOTE,
            id="gmail-cs-wrapped-after-angle-bracket",
        ),
        pytest.param(
            "Dne čt 12. 11. 2026 10:16 uživatel Oddělení technické podpory <podpora@acme-software.cz>\n"
            "napsal:",
            _QUOTE,
            id="gmail-cs-wrapped-before-napsal",
        ),
        pytest.param(
            "Dne po 2. 3. 2026 9:05 uživatel Jana Nová <jana@firma.cz> napsala:",
            _QUOTE,
            id="gmail-cs-napsala",
        ),
        pytest.param(
            "st 12. 11. 2026 v 10:15 odesílatel Jan Novák <jan@firma.cz> napsal:",
            _QUOTE,
            id="gmail-cs-older-odesilatel",
        ),
        pytest.param(
            "Dňa št 12. 11. 2026 o 10:16 používateľ Ján Kováč <jan.kovac@velmi-dlha-firma.sk>\n"
            "napísal:",
            _QUOTE,
            id="gmail-sk-wrapped",
        ),
        pytest.param(
            "Dne 12. 11. 2026 v 10:16 Jana Nová napsal(a):",
            _QUOTE,
            id="thunderbird-cs-date-author",
        ),
        pytest.param(
            "Dne 1. 1. 2026 napsal(a) Jana Nová:",
            _QUOTE,
            id="thunderbird-cs-date-wrote-author",
        ),
        pytest.param("Jana Nová napsal(a):", _QUOTE, id="thunderbird-cs-author-only"),
        pytest.param("Dňa 12. 11. 2026 o 10:16 Ján Kováč napísal(a):", _QUOTE, id="thunderbird-sk"),
        pytest.param(
            "---------- Původní e-mail ----------\nOd: Podpora ACME <podpora@acme.cz>\n"
            "Komu: Jana Nová <jana@firma.cz>\nDatum: 12. 11. 2026 10:16:08\n"
            "Předmět: Re: [AC-1042] Nelze tisknout faktury",
            _OUTLOOK_BODY,
            id="seznam-cs",
        ),
        pytest.param(
            "Od: Podpora ACME <podpora@acme.cz>\nOdesláno: čtvrtek 12. listopadu 2026 10:16\n"
            "Komu: Jana Nová <jana@firma.cz>\nPředmět: RE: [AC-1042] Nelze tisknout faktury",
            _OUTLOOK_BODY,
            id="outlook-desktop-cs",
        ),
        pytest.param(
            "________________________________\nOd: Podpora ACME <podpora@acme.cz>\n"
            "Odesláno: čtvrtek 12. listopadu 2026 10:16\nKomu: Jana Nová <jana@firma.cz>\n"
            "Předmět: RE: [AC-1042] Nelze tisknout faktury",
            _OUTLOOK_BODY,
            id="outlook-web-cs-with-rule",
        ),
        pytest.param(
            "Od: Podpora ACME <podpora@acme.cz>\nDatum: čtvrtek 12. listopadu 2026 v 10:16\n"
            "Komu: Jana Nová <jana@firma.cz>\nPředmět: Re: [AC-1042] Nelze tisknout faktury",
            _OUTLOOK_BODY,
            id="outlook-mac-cs",
        ),
        pytest.param(
            "-----Původní zpráva-----\nOd: Podpora ACME [mailto:podpora@acme.cz]\n"
            "Odesláno: 12. listopadu 2026 10:16\nKomu: jana@firma.cz\n"
            "Předmět: RE: [AC-1042] Nelze tisknout faktury",
            _OUTLOOK_BODY,
            id="outlook-cs-plain-original-message",
        ),
        pytest.param(
            "Od: Podpora ACME <podpora@acme.sk>\nOdoslané: štvrtok 12. novembra 2026 10:16\n"
            "Komu: Ján Kováč <jan@firma.sk>\nPredmet: RE: [AC-1042] Nedá sa tlačiť",
            _OUTLOOK_BODY,
            id="outlook-desktop-sk",
        ),
        pytest.param(
            "________________________________\nOd: Podpora ACME <podpora@acme.sk>\n"
            "Odoslané: štvrtok, 12. novembra 2026 10:16\nKomu: Ján Kováč <jan@firma.sk>\n"
            "Predmet: RE: [AC-1042] Nedá sa tlačiť",
            _OUTLOOK_BODY,
            id="outlook-web-sk-with-rule",
        ),
        pytest.param(
            "12. 11. 2026 v 10:16, Jana Nová <jana@firma.cz>:",
            _QUOTE,
            id="apple-mail-cs",
        ),
        pytest.param(
            "Dne 12. 11. 2026 v 10:16, Jana Nová <jana@firma.cz> napsal(a):",
            _QUOTE,
            id="apple-mail-cs-older",
        ),
        pytest.param("12. 11. 2026 o 10:16, Ján Kováč <jan@firma.sk>:", _QUOTE, id="apple-mail-sk"),
    ],
)
def test_czech_and_slovak_reply_headers(header: str, rest: str) -> None:
    text = f"{_REPLY}\n\n{header}\n\n{rest}"
    new, quoted = split_reply(text, "cs")
    assert new == _REPLY
    assert quoted.startswith(header)
    assert_nothing_lost(text, new, quoted)


@pytest.mark.parametrize(
    "text",
    [
        "Dobrý den,\nDne 12. 11. jsme napsali dopis\na stále čekáme na odpověď.\nJana",
        "Dobrý den,\nDne 12. 11. 2026 jsme vám napsali:\nnefunguje tisk faktur.\nJana",
        "Dobrý den,\nOd: pondělí nefunguje tisk.\nKolega psal, že je to v síti.\nJana",
        "Dobrý den,\n12. 11. 2026 v 10:16 spadl server.\nJana",
    ],
)
def test_sentences_that_look_like_headers_fold_nothing(text: str) -> None:
    assert split_reply(text, "cs") == (text, "")


@pytest.mark.parametrize(
    "text",
    [
        "Dobrý den,\nděkuji, ale stále nefunguje tisk.\nJan",  # "děkuji," mid-text is no signature
        "> jen citace\n> nic nového",  # nothing above: keep all
        "Dobrý den,\n\nS pozdravem,\n"
        + "\n".join(f"řádek {i} důležitého textu" for i in range(12)),
        "",
    ],
)
def test_nothing_is_folded_when_unsure(text: str) -> None:
    assert split_reply(text) == (text, "")


def test_parser_failure_returns_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    import podpora.mail.quoting as quoting

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("parser broke")

    monkeypatch.setattr(quoting, "_split", boom)
    assert split_reply("a\n> b") == ("a\n> b", "")


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.sampled_from(
                [
                    "> citace",
                    "-- ",
                    "S pozdravem,",
                    "Dne 1. 1. 2026 Jan napsal(a):",
                    "Od: a",
                    "",
                    REPLY_MARKERS["cs"],
                    "Odesláno z mého iPhonu",
                    "-----Original Message-----",
                ]
            ),
        ),
        max_size=25,
    ),
    st.sampled_from(["cs", "sk", "en", None, "xx"]),
)
def test_split_never_loses_text(lines: list[str], hint: str | None) -> None:
    text = "\n".join(lines)
    new, quoted = split_reply(text, hint)
    normalised = re.sub(r"\r\n?", "\n", text)
    assert_nothing_lost(normalised, new, quoted)


def test_a_long_reply_is_still_split_by_our_own_patterns_past_the_parsers_window():
    body = "\n".join(f"řádek {i} o fakturách" for i in range(3000))
    header = "Dne 12. 11. 2026 v 10:16 Jana Nová napsal(a):"
    new, quoted = split_reply(f"{body}\n\n{header}\n> původní text\n", "cs")
    assert new == body
    assert quoted.startswith(header) and quoted.endswith("> původní text")
