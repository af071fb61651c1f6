"""The `podpora` console script: our own commands plus every Django management command."""

from __future__ import annotations

import os
import sys

SLA_USAGE = "usage: podpora sla {due,elapsed} [--help] ...\n"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = argv[1:]
    if args[:1] == ["sla"]:
        # Pure calendar arithmetic: no Django start-up, so it answers in milliseconds.
        from podpora.sla import calendar_cli

        sub = args[1:2]
        if sub == ["due"]:
            return calendar_cli.cmd_due(args[2:])
        if sub == ["elapsed"]:
            return calendar_cli.cmd_elapsed(args[2:])
        sys.stderr.write(SLA_USAGE)
        return 0 if sub in (["--help"], ["-h"]) else 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podpora.settings")
    from django.core.management import execute_from_command_line

    if not args:
        argv.append("help")
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
