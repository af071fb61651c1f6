"""`podpora sla due|elapsed` as ACCEPTANCE.md §3 describes them: output, errors, --help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from podpora.sla.calendar_cli import cmd_due, cmd_elapsed, main

ACCEPTANCE_CALENDAR = {
    "timezone": "Europe/Prague",
    "week": {
        "mon": [["08:30", "17:00"]],
        "tue": [["08:30", "17:00"]],
        "wed": [["08:30", "18:00"]],
        "thu": [["08:30", "17:00"]],
        "fri": [["10:00", "16:30"]],
        "sat": [],
        "sun": [],
    },
    "holidays": {"countries": ["CZ"], "dates": ["2026-12-31"]},
}


@pytest.fixture(autouse=True)
def _isolated() -> None:
    """Replaces tests/conftest.py's Django-settings fixture: these tests are pure and must also
    run with ``-p no:django``."""


@pytest.fixture
def calendar_file(tmp_path: Path) -> str:
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps(ACCEPTANCE_CALENDAR), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        ("2026-12-23T12:00", "2wd", "2026-12-29T17:00:00+01:00"),
        ("2026-12-23T12:00:00+01:00", "2wd", "2026-12-29T17:00:00+01:00"),
        ("2026-12-23T11:00:00Z", "90m", "2026-12-23T13:30:00+01:00"),
        ("2026-12-23T17:30", "1h", "2026-12-28T09:00:00+01:00"),
        ("2026-12-23T17:00", "1h", "2026-12-23T18:00:00+01:00"),
        ("2026-03-27T12:00", "7d", "2026-04-03T12:00:00+02:00"),
        ("2026-12-23T12:00", "0m", "2026-12-23T12:00:00+01:00"),
        ("2026-12-23T12:00:00.5", "0m", "2026-12-23T12:00:00.500000+01:00"),
        ("2026-12-30T12:00", "0wd", "2026-12-30T18:00:00+01:00"),
        ("2026-12-30T12:00", "1wd", "2027-01-04T17:00:00+01:00"),
    ],
)
def test_due_prints_iso_with_the_calendars_offset(
    calendar_file: str, start: str, target: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--calendar", calendar_file, "--start", start, "--target", target]
    assert cmd_due(argv) == 0
    out, err = capsys.readouterr()
    assert out == expected + "\n"
    assert err == ""


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        ("2026-12-23T12:00", "2026-12-29T12:00", 1080),
        ("2026-12-23T12:00", "2026-12-23T12:59:59.999", 59),  # rounded down
        ("2026-12-23T12:00", "2026-12-23T11:00", 0),
        ("2026-12-23T11:00:00Z", "2026-12-23T13:00:00+01:00", 60),
        ("2026-12-24T08:00", "2026-12-27T20:00", 0),
    ],
)
def test_elapsed_prints_whole_minutes(
    calendar_file: str, start: str, end: str, minutes: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cmd_elapsed(["--calendar", calendar_file, "--start", start, "--end", end]) == 0
    assert capsys.readouterr().out == f"{minutes}\n"


@pytest.mark.parametrize("command", [cmd_due, cmd_elapsed])
def test_help(command: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert callable(command)
    assert command(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--calendar FILE" in out and "--start ISO" in out


def _error(
    calendar: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], **args: str
) -> tuple[int, str]:
    argv = ["--calendar", calendar]
    for key, value in args.items():
        argv += [f"--{key}", value]
    code = cmd_elapsed(argv) if "end" in args else cmd_due(argv)
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    return code, err


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, {"start": "2026-12-23T12:00", "target": "2wd"}, "cannot read calendar file"),
        ("{not json", {"start": "2026-12-23T12:00", "target": "2wd"}, "not valid JSON"),
        (
            '{"timezone": "Europe/Praha", "week": {}}',
            {"start": "2026-12-23T12:00", "target": "2wd"},
            "unknown time zone 'Europe/Praha'",
        ),
        (
            '{"timezone": "UTC", "week": {"mon": [["9:00", "25:00"]]}}',
            {"start": "2026-12-23T12:00", "target": "2wd"},
            "bad time '25:00'",
        ),
        ("GOOD", {"start": "2026-12-23T12:00", "target": "2 weeks"}, "--target: invalid target"),
        ("GOOD", {"start": "23.12.2026 12:00", "target": "2wd"}, "--start: not an ISO 8601"),
        ("GOOD", {"start": "2026-12-23T12:00", "end": "soon"}, "--end: not an ISO 8601"),
        ("GOOD", {"start": "2026-12-23T12:00"}, "the following arguments are required: --target"),
        (
            '{"timezone": "UTC", "week": {}}',
            {"start": "2026-12-23T12:00", "target": "1h"},
            "no working hours",
        ),
        ("GOOD", {"start": "2026-12-23T12:00", "target": "99999999999h"}, "100 years"),
        ("GOOD", {"start": "9999-12-31T12:00", "target": "1h"}, "supported years"),
    ],
)
def test_errors_go_to_stderr_with_status_2(
    tmp_path: Path,
    calendar_file: str,
    capsys: pytest.CaptureFixture[str],
    content: str | None,
    args: dict[str, str],
    message: str,
) -> None:
    path = calendar_file
    if content != "GOOD":
        path = str(tmp_path / "other.json")
        if content is not None:
            Path(path).write_text(content, encoding="utf-8")
    code, err = _error(path, tmp_path, capsys, **args)
    assert code == 2
    assert message in err


def test_main_dispatches(calendar_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["due", "--calendar", calendar_file, "--start", "2026-12-23T12:00", "--target", "2wd"]
    assert main(argv) == 0
    assert capsys.readouterr().out == "2026-12-29T17:00:00+01:00\n"
    assert main(["nonsense"]) == 2
    assert "usage: podpora sla {due,elapsed}" in capsys.readouterr().err
    assert main(["--help"]) == 0


def test_module_runs_as_a_program(calendar_file: str) -> None:
    """``python -m podpora.sla.calendar_cli`` as a user or an acceptance check runs it."""
    base = [sys.executable, "-m", "podpora.sla.calendar_cli"]
    ok = subprocess.run(
        [
            *base,
            "due",
            "--calendar",
            calendar_file,
            "--start",
            "2026-12-23T12:00",
            "--target",
            "2wd",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (ok.returncode, ok.stdout) == (0, "2026-12-29T17:00:00+01:00\n")
    bad = subprocess.run(
        [*base, "elapsed", "--calendar", calendar_file, "--start", "x", "--end", "y"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr and "--start: not an ISO 8601" in bad.stderr
