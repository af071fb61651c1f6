"""`podpora sla due|elapsed`: the SLA clock from the command line (ACCEPTANCE.md §3).

Kept apart from the Django commands so that it starts fast and needs no settings or database.
Errors go to stderr with exit status 2 and never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from podpora.sla.clock import Calendar, due, elapsed, parse_target

EXIT_USAGE = 2


class _UsageError(Exception):
    pass


def _load_calendar(path: str) -> Calendar:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise _UsageError(f"cannot read calendar file {path!r}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _UsageError(f"calendar file {path!r} is not valid JSON: {exc}") from None
    try:
        return Calendar.from_dict(data)
    except ValueError as exc:
        raise _UsageError(f"calendar file {path!r}: {exc}") from None


def _parse_instant(text: str, option: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise _UsageError(
            f"{option}: not an ISO 8601 date-time: {text!r} "
            "(e.g. 2026-12-23T12:00 or 2026-12-23T12:00:00+01:00)"
        ) from None


def _format_instant(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")


def _run(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None, body: Callable[..., str]
) -> int:
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error already printed by argparse (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        print(body(args))
    except (_UsageError, ValueError, OverflowError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def _calendar_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--calendar",
        required=True,
        metavar="FILE",
        help='JSON calendar: {"timezone", "week": {"mon": [["08:30", "17:00"]], ...}, '
        '"holidays": {"countries": ["CZ"], "dates": ["2026-12-31"]}}',
    )


def cmd_due(argv: Sequence[str] | None = None) -> int:
    """Print the due instant of a target from a start, with the calendar's UTC offset."""
    parser = argparse.ArgumentParser(
        prog="podpora sla due",
        description="Print the due instant (ISO 8601 with the calendar's UTC offset) of an SLA "
        "target counted from START in the calendar's business hours.",
    )
    _calendar_arg(parser)
    parser.add_argument(
        "--start",
        required=True,
        metavar="ISO",
        help="start instant; without an offset it is read in the calendar's time zone",
    )
    parser.add_argument(
        "--target",
        required=True,
        metavar="SPEC",
        help="90m / 8h = business minutes / hours; 2wd = working days (last closing of the "
        "Nth working day after the receipt day); 7d = calendar days",
    )

    def body(args: argparse.Namespace) -> str:
        calendar = _load_calendar(args.calendar)
        start = _parse_instant(args.start, "--start")
        try:
            target = parse_target(args.target)
        except ValueError as exc:
            raise _UsageError(f"--target: {exc}") from None
        return _format_instant(due(calendar, start, target))

    return _run(parser, argv, body)


def cmd_elapsed(argv: Sequence[str] | None = None) -> int:
    """Print whole business minutes (rounded down) between two instants."""
    parser = argparse.ArgumentParser(
        prog="podpora sla elapsed",
        description="Print the whole business minutes (rounded down) inside the calendar's "
        "working intervals between START and END (0 if END is not after START).",
    )
    _calendar_arg(parser)
    parser.add_argument("--start", required=True, metavar="ISO", help="start instant")
    parser.add_argument("--end", required=True, metavar="ISO", help="end instant")

    def body(args: argparse.Namespace) -> str:
        calendar = _load_calendar(args.calendar)
        start = _parse_instant(args.start, "--start")
        end = _parse_instant(args.end, "--end")
        return str(elapsed(calendar, start, end) // timedelta(minutes=1))

    return _run(parser, argv, body)


COMMANDS: dict[str, Callable[[Sequence[str] | None], int]] = {
    "due": cmd_due,
    "elapsed": cmd_elapsed,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch ``due`` / ``elapsed``, for ``python -m podpora.sla.calendar_cli``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in COMMANDS:
        out = sys.stdout if args and args[0] in ("-h", "--help") else sys.stderr
        print("usage: podpora sla {due,elapsed} [--help] ...", file=out)
        return 0 if out is sys.stdout else EXIT_USAGE
    return COMMANDS[args[0]](args[1:])


if __name__ == "__main__":
    sys.exit(main())
