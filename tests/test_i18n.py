"""Translation catalogues: they compile, are complete for sk/en, keep placeholders, and are used."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

import podpora
from podpora.customers.entitlements import REASONS

LOCALE = Path(podpora.__file__).resolve().parent / "locale"
LANGS = ("cs", "sk", "en")
PLURAL_FORMS = {
    "cs": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "sk": "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
    "en": "nplurals=2; plural=(n != 1);",
}
#: English msgids translated at run time; English needs no msgstr for them.
REASON_MSGIDS = set(REASONS.values())

needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext not installed")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())


def parse_po(path: Path) -> list[dict]:
    """Entries as {"msgid", "plural", "msgstr": {index: text}, "flags": set, "obsolete"}."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"msgid": None, "plural": None, "msgstr": {}, "flags": set(), "obsolete": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#") or not line.strip():
                continue
            elif m := re.match(
                r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line
            ):
                word, index, text = m.group(1), m.group(2), _unquote(m.group(3))
                if word.startswith("msgstr"):
                    key = ("msgstr", int(index or 0))
                    entry["msgstr"][key[1]] = text
                else:
                    key = (word.replace("msgid_plural", "plural"),)
                    entry[key[0]] = text
            elif line.startswith('"') and key:
                if key[0] == "msgstr":
                    entry["msgstr"][key[1]] += _unquote(line)
                else:
                    entry[key[0]] = (entry.get(key[0]) or "") + _unquote(line)
        if entry["msgid"] is not None or entry["obsolete"]:
            entries.append(entry)
    return entries


def messages(lang: str) -> list[dict]:
    return [e for e in parse_po(po_path(lang)) if e["msgid"] and not e["obsolete"]]


_PLACEHOLDERS = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]"  # %(name)s
    r"|\{\{\s*\w+\s*\}\}"  # {{ var }} (blocktranslate, if left unconverted)
    r"|(?<!\{)\{\w*\}(?!\})"  # {name}
)


def placeholders(text: str) -> set[str]:
    return {re.sub(r"\s+", "", p) for p in _PLACEHOLDERS.findall(text)}


@pytest.fixture(scope="module")
def compiled_catalogues():
    """The .mo files are build output (`make messages`); compile them if missing or stale."""
    stale = [
        lang
        for lang in LANGS
        if not po_path(lang).with_suffix(".mo").exists()
        or po_path(lang).with_suffix(".mo").stat().st_mtime < po_path(lang).stat().st_mtime
    ]
    if stale:
        if shutil.which("msgfmt") is None:
            pytest.skip("gettext not installed and the catalogues are not compiled")
        for lang in stale:
            subprocess.run(
                [
                    "msgfmt",
                    "--check",
                    "-o",
                    str(po_path(lang).with_suffix(".mo")),
                    str(po_path(lang)),
                ],
                check=True,
            )
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._active = trans_real.Local()
        trans_real._default = None
    yield


# (a) the catalogues themselves


@needs_msgfmt
@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_compiles(lang, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po_path(lang))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_header_has_language_and_plural_forms(lang):
    header = parse_po(po_path(lang))[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert f"Language: {lang}\n" in header["msgstr"][0]
    assert f"Plural-Forms: {PLURAL_FORMS[lang]}\n" in header["msgstr"][0]


@pytest.mark.parametrize("lang", LANGS)
def test_no_fuzzy_entries(lang):
    fuzzy = [e["msgid"] for e in messages(lang) if "fuzzy" in e["flags"]]
    assert fuzzy == []


@pytest.mark.parametrize("lang", ["sk", "en"])
def test_every_msgid_is_translated(lang):
    untranslated = [
        e["msgid"]
        for e in messages(lang)
        if not all(e["msgstr"].values()) and not (lang == "en" and e["msgid"] in REASON_MSGIDS)
    ]
    assert untranslated == []


def test_czech_translates_only_plurals_and_english_msgids():
    for e in messages("cs"):
        if e["plural"] is not None or e["msgid"] in REASON_MSGIDS:
            assert all(e["msgstr"].values()), e["msgid"]
        else:
            assert e["msgstr"] == {0: ""}, e["msgid"]


@pytest.mark.parametrize("lang", LANGS)
def test_plural_entries_have_every_form(lang):
    nplurals = int(re.search(r"nplurals=(\d)", PLURAL_FORMS[lang]).group(1))
    for e in messages(lang):
        if e["plural"] is not None:
            assert sorted(e["msgstr"]) == list(range(nplurals)), e["msgid"]


@pytest.mark.parametrize("lang", ["cs", "sk"])
def test_run_time_reason_msgids_are_in_the_catalogue(lang):
    # REASONS are not marked for extraction; makemessages drops them unless they are re-added.
    present = {e["msgid"]: e["msgstr"].get(0) for e in messages(lang)}
    missing = [m for m in REASON_MSGIDS if not present.get(m)]
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match(lang):
    wrong = []
    for e in messages(lang):
        for index, text in e["msgstr"].items():
            if not text:
                continue
            source = e["plural"] if index > 0 and e["plural"] is not None else e["msgid"]
            expected = placeholders(source)
            if e["plural"] is not None:
                # a singular form may spell out the number ("one day") -- but not invent others
                expected |= placeholders(e["plural"])
                if not placeholders(text) <= expected:
                    wrong.append((e["msgid"], text))
            elif placeholders(text) != expected:
                wrong.append((e["msgid"], text))
    assert wrong == []


def test_placeholder_helper():
    assert placeholders("%(a)s and {b} and {{ c }} and {{d}}") == {"%(a)s", "{b}", "{{c}}", "{{d}}"}
    assert placeholders("100 % sure, {{ }}") == set()


# (b) the translations are used


@pytest.mark.parametrize(
    "lang, msgid, expected",
    [
        ("en", "Nový požadavek", "New request"),
        ("en", "Přihlášení do Centra podpory", "Sign in to the Support Centre"),
        ("en", "Odhlásit", "Sign out"),
        ("en", "v rámci smlouvy", "covered by contract"),
        ("sk", "Nový požadavek", "Nová požiadavka"),
        ("sk", "Přihlášení do Centra podpory", "Prihlásenie do Centra podpory"),
        ("sk", "Řešitel", "Riešiteľ"),
        ("sk", "mimo podporu", "mimo podpory"),
        ("cs", "Nový požadavek", "Nový požadavek"),
    ],
)
def test_known_strings_translate(compiled_catalogues, lang, msgid, expected):
    with translation.override(lang):
        assert translation.gettext(msgid) == expected


def test_plural_forms_are_used(compiled_catalogues):
    one, many = "zbývá %(days)s den", "zbývá %(days)s dní"
    with translation.override("sk"):
        assert translation.ngettext(one, many, 3) % {"days": 3} == "zostávajú 3 dni"
        assert translation.ngettext(one, many, 5) % {"days": 5} == "zostáva 5 dní"
    with translation.override("cs"):
        assert translation.ngettext(one, many, 2) % {"days": 2} == "zbývají 2 dny"
    with translation.override("en"):
        assert translation.ngettext(one, many, 1) % {"days": 1} == "1 day left"
        assert translation.ngettext(one, many, 4) % {"days": 4} == "4 days left"


def test_entitlement_reason_is_translated(compiled_catalogues):
    msgid = REASONS["contract_expired"]
    with translation.override("cs"):
        assert translation.gettext(msgid).format(valid_to="1. 1. 2026") == (
            "Smlouva o podpoře skončila 1. 1. 2026."
        )
    with translation.override("sk"):
        assert translation.gettext(msgid).startswith("Zmluva o podpore")
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


# (c) switching the language in the browser


def test_setlang_switches_the_login_page_to_english(compiled_catalogues, client, db):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert r.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in to the Support Centre" in page
    assert "Username" in page and "Password" in page
    assert "Přihlášení do Centra podpory" not in page


def test_setlang_switches_the_login_page_to_slovak(compiled_catalogues, client, db):
    client.post("/i18n/setlang/", {"language": "sk", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert "Prihlásenie do Centra podpory" in page


def test_lazy_labels_are_extracted_and_translated():
    """Forms mark labels with ``gettext_lazy as _lazy``; makemessages must find them too."""
    from podpora.billing.forms import TimeForm
    from podpora.forum.views import TopicForm

    with translation.override("sk"):
        assert str(TimeForm().fields["minutes"].label) == "Minút"
        assert str(TopicForm().fields["title"].label) == "Názov témy"
    with translation.override("en"):
        assert str(TimeForm().fields["channel"].label) == "Kind of work"
