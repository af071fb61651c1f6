"""--check: every problem of a broken profile, with its line (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podpora.profiles.check import overlapping, parse_shift
from podpora.profiles.files import VENDORS_DIR, read, render, seed_files

HRPLUS = (VENDORS_DIR / "hrplus.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, nth: int = 1) -> int:
    found = 0
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            found += 1
            if found == nth:
                return number
    raise AssertionError(needle)


def broken(old: str, new: str, nth: int = 1) -> tuple[str, int]:
    """HR Plus's profile with the nth occurrence of ``old`` replaced; the line it is on."""
    line = line_of(HRPLUS, old, nth)
    lines = HRPLUS.splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "".join(lines), line


@pytest.mark.parametrize("path", seed_files(), ids=lambda p: p.stem)
def test_seed_profiles_are_valid(path):
    profile, problems = read(path.read_text(encoding="utf-8"), database=False)
    assert problems == [] and profile["vendor"]["slug"] == path.stem


# (what is replaced, by what, which occurrence, words of the message)
CASES = [
    ("calendar: HR Plus – pracovní doba", "calendar: Kancelář", 1, "neznámý kalendář „Kancelář“"),
    ("calendar: HR Plus – pracovní doba", "calendar: Kancelář", 2, "neznámý kalendář"),
    ("sla_policy: SLA Premium", "sla_policy: SLA Gold", 1, "neznámé SLA „SLA Gold“"),
    ("public_plan: potencialni", "public_plan: nikdo", 1, "neznámý tarif „nikdo“"),
    (
        "mon: [['08:00', '16:30']]",
        "mon: [['08:00', '16:30'], ['12:00', '18:00']]",
        1,
        "směny se překrývají: 12:00–18:00",
    ),
    ("tue: [['08:00', '16:30']]", "tue: [['08:00', '08:00']]", 1, "neplatná směna 08:00–08:00"),
    ("wed: [['08:00', '16:30']]", "wed: [['08:00', '25:00']]", 1, "neplatná směna"),
    ("first_response: 2h", "first_response: 2 hodiny", 1, "neplatná doba „2 hodiny“"),
    ("resolution: 2wd", "resolution: 2x", 1, "neplatná doba „2x“"),
    ("countries: [CZ]", "countries: [XX]", 1, "neznámý stát „XX“"),
    ("kind: maintenance", "kind: gold", 1, "neznámá hodnota „gold“"),
    ("role: solver", "role: boss", 1, "neznámá hodnota „boss“"),
    ("lead: hrplus-manager", "lead: hrplus-nikdo", 1, "neznámý pracovník „hrplus-nikdo“"),
    ("free_call_minutes: 60", "free_call_minutes: hodina", 1, "má být celé číslo"),
    ("  - name: '2025.2'", "  - name: 2025.2", 1, "napište hodnotu do uvozovek"),
    ("released_on: 2025-01-26", "released_on: 2025-02-30", 1, "neexistující datum"),
    ("unit: hour", "unit: hour\n    colour: red", 1, "neznámá položka „colour“"),
    ("- code: jednorazova", "- code: implementace", 1, "„implementace“ je v seznamu dvakrát"),
]


@pytest.mark.parametrize(("old", "new", "nth", "message"), CASES, ids=[c[3][:30] for c in CASES])
def test_check_names_the_problem_and_its_line(old, new, nth, message):
    text, line = broken(old, new, nth)
    profile, problems = read(text, database=False)
    assert profile is None
    line += new.count("\n")  # an added line is where the problem is
    assert any(message in p.message and p.line == line for p in problems), [
        str(p) for p in problems
    ]


def test_check_lists_every_problem_not_only_the_first():
    text = HRPLUS.replace("sla_policy: SLA Premium", "sla_policy: SLA Gold").replace(
        "countries: [CZ]", "countries: [XX]"
    )
    text = text.replace("calendar: HR Plus – pracovní doba\n", "calendar: Kancelář\n", 1)
    _profile, problems = read(text, database=False)
    messages = " | ".join(str(p) for p in problems)
    assert len(problems) == 3, messages
    line = line_of(HRPLUS, "calendar: HR Plus")
    assert f"řádek {line} (vendor › calendar)" in messages  # Czech, with the place in the file


def test_bad_yaml_names_its_line():
    _profile, problems = read("schema: 1\nvendor:\n  slug: [a\n", database=False)
    assert problems and problems[0].line >= 3 and "YAML" in problems[0].message


def test_unsupported_schema_version():
    _profile, problems = read(HRPLUS.replace("schema: 1", "schema: 2"), database=False)
    assert [p.line for p in problems] == [
        line_of(HRPLUS, "schema: 1")
    ] and "verze schématu" in problems[0].message


def test_a_night_shift_is_a_shift_and_sunday_night_may_not_overlap_monday():
    ok = {"week": {"mon": [["22:00", "06:00"]], "tue": [["08:00", "16:00"]]}, "name": "noc"}
    profile = {
        "schema": 1,
        "vendor": {"slug": "n", "name": "N", "ticket_prefix": "N"},
        "calendars": [ok],
    }
    assert read(render(profile), database=False)[1] == []
    ok["week"]["tue"] = [["05:00", "16:00"]]  # Monday's night shift runs until 06:00
    problems = read(render(profile), database=False)[1]
    assert [p.message for p in problems] == ["směny se překrývají: 05:00–16:00"]
    ok["week"] = {"sun": [["22:00", "07:00"]], "mon": [["06:00", "10:00"]]}
    assert len(read(render(profile), database=False)[1]) == 1


times = st.tuples(st.integers(0, 23), st.integers(0, 59)).map(lambda t: f"{t[0]:02d}:{t[1]:02d}")


@given(times, times)
def test_shift_parsing_measures_every_shift(start, end):
    parsed = parse_shift([start, end])
    if start == end:
        assert parsed is None
    else:
        s, e = parsed
        length = e - s
        assert 0 < length < 24 * 60 and s == int(start[:2]) * 60 + int(start[3:])
        assert e % (24 * 60) == int(end[:2]) * 60 + int(end[3:])


@given(st.text(max_size=6), st.text(max_size=6))
def test_shift_parsing_never_raises(start, end):
    parsed = parse_shift([start, end])
    assert parsed is None or parsed[0] < parsed[1]


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 600)), max_size=8))
def test_overlap_is_found_exactly_when_two_spans_share_a_minute(raw):
    """Minutes of the week; a span past Sunday's midnight goes on into Monday."""
    spans = [(s, s + n) for s, n in raw]
    minutes = [{m % (7 * 24 * 60) for m in range(s, e)} for s, e in spans]
    shared = any(minutes[i] & minutes[j] for i in range(len(spans)) for j in range(i))
    assert (overlapping(spans) is not None) == shared


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("cs", "řádek {} (vendor › calendar): neznámý kalendář „X“"),
        ("sk", "riadok {} (vendor › calendar): neznámy kalendár „X“"),
        ("en", 'line {} (vendor › calendar): unknown calendar "X"'),
    ],
)
def test_problems_read_in_the_readers_language(language, expected):
    from django.utils import translation

    text = HRPLUS.replace("calendar: HR Plus – pracovní doba\n", "calendar: X\n", 1)
    with translation.override(language):
        _profile, problems = read(text, database=False)
        assert str(problems[0]) == expected.format(line_of(HRPLUS, "calendar: HR Plus"))


INTOUCH = (VENDORS_DIR / "intouch.yaml").read_text(encoding="utf-8")
# InTouch's forum moderators and macros: (what is replaced, by what, words of the message)
INTOUCH_CASES = [
    ("forum_moderators: [intouch-agent,", "forum_moderators: [intouch-nikdo,",
     "neznámý pracovník „intouch-nikdo“"),
    ("    set_state: waiting_customer", "    set_state: hotovo", "neznámá hodnota „hotovo“"),
    ("    set_state: waiting_customer", "    team: Obchod", "neznámý tým „Obchod“"),
    ("    set_state: waiting_customer", "    set_assignee: intouch-nikdo",
     "neznámý pracovník „intouch-nikdo“"),
    ("    set_state: waiting_customer", "    set_scope: kava", "neznámý druh požadavku „kava“"),
    ("      abychom mohli Váš požadavek {cislo}", "      abychom mohli Váš požadavek {číslo}",
     "neznámé zástupné texty: číslo"),  # reported on the line of its key, "body_cs: |-"
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "message"), INTOUCH_CASES, ids=[c[2][:30] for c in INTOUCH_CASES]
)
def test_check_names_a_broken_moderator_or_macro_with_its_line(old, new, message):
    line = line_of(INTOUCH, old)
    assert INTOUCH.count(old) == 1
    profile, problems = read(INTOUCH.replace(old, new), database=False)
    assert profile is None
    if old.startswith("      "):  # a line inside a block of text: the line of its key
        line = max(n for n in range(line) if INTOUCH.splitlines()[n - 1].endswith("|-"))
    assert any(message in p.message and p.line == line for p in problems), [
        str(p) for p in problems
    ]
