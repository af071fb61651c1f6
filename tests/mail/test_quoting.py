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
