"""Everything wrong with a profile, each problem with its line, in the reader's language.

First the JSON Schema (shapes, names, enumerations), then the rules across sections: names
that must point at something in the file, shifts that must not overlap, SLA targets that
must parse. Pure: no database (conflicts with other vendors are ``load.conflicts``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path as FsPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib
import jsonschema
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from podpora.macros.placeholders import unknown_placeholders

from .fields import DAYS
from .yamlio import Path

SCHEMA_FILE = FsPath(__file__).with_name("schema.json")
_TIME = re.compile(r"^(\d{2}):(\d{2})$")
DAY = 24 * 60
WEEK = 7 * DAY
_TARGET = re.compile(r"^(\d+)(m|h|wd|d)$")


@dataclass(frozen=True)
class Problem:
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        return _("řádek %(line)s (%(where)s): %(message)s") % {
            "line": self.line,
            "where": self.where or "/",
            "message": self.message,
        }


@cache
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def where(path: Path) -> str:
    return " › ".join(str(p + 1) if isinstance(p, int) else p for p in path)


def line_of(lines: dict[Path, int], path: Path) -> int:
    path = tuple(path)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 1)


def validate(profile, lines: dict[Path, int]) -> list[Problem]:
    """Every problem of the profile, ordered by line."""
    problems = [_schema_problem(e, lines) for e in _schema_errors(profile)]
    if not problems:
        problems = list(_semantic(profile, lines))
    return sorted(problems, key=lambda p: (p.line, p.where))


def _schema_errors(profile):
    validator = jsonschema.Draft202012Validator(schema())
    return validator.iter_errors(profile)


_TYPES = {
    "string": N_("text"),
    "integer": N_("celé číslo"),
    "number": N_("číslo"),
    "boolean": N_("true nebo false"),
    "array": N_("seznam"),
    "object": N_("oddíl s položkami"),
    "null": N_("prázdná hodnota"),
}


def _schema_problem(error, lines) -> Problem:
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = next((k for k in error.validator_value if k not in error.instance), "?")
        message = _("chybí povinná položka „%(key)s“") % {"key": missing}
    elif kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        message = _("neznámá položka „%(key)s“") % {"key": ", ".join(extra)}
        path = (*path, extra[0]) if extra else path
    elif kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        names = " / ".join(_(_TYPES.get(t, t)) for t in expected if t != "null")
        message = _("má být %(type)s (je %(value)s)") % {"type": names, "value": error.instance}
        if "string" in expected and isinstance(error.instance, (int, float)):
            message += " – " + _("napište hodnotu do uvozovek")
    elif kind == "enum":
        message = _("neznámá hodnota „%(value)s“ (možné: %(choices)s)") % {
            "value": error.instance,
            "choices": ", ".join(v for v in error.validator_value if v),
        }
    elif kind == "const":
        message = _("podporovaná verze schématu je %(version)s") % {"version": 1}
    elif kind == "pattern":
        message = _("hodnota „%(value)s“ nemá správný tvar") % {"value": error.instance}
    elif kind in ("minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"):
        message = _("hodnota „%(value)s“ je mimo dovolený rozsah") % {"value": error.instance}
    else:
        message = _("neplatná hodnota „%(value)s“") % {"value": error.instance}
    return Problem(line_of(lines, path), where(path), message)


def _semantic(p: dict, lines):
    def problem(path, message):
        return Problem(line_of(lines, path), where(path), message)

    def duplicates(section, key):
        seen = set()
        for i, item in enumerate(p.get(section) or []):
            value = item.get(key)
            if value in seen:
                yield problem(
                    (section, i, key), _("„%(value)s“ je v seznamu dvakrát") % {"value": value}
                )
            seen.add(value)

    for section, key in (
        ("calendars", "name"),
        ("sla_policies", "name"),
        ("plans", "code"),
        ("products", "code"),
        ("services", "code"),
        ("scope_items", "code"),
        ("channels", "channel"),
        ("staff", "username"),
        ("teams", "name"),
        ("mailboxes", "address"),
        ("macros", "name"),
    ):
        yield from duplicates(section, key)

    calendars = {c["name"] for c in p.get("calendars") or []}
    policies = {s["name"] for s in p.get("sla_policies") or []}
    plans = {x["code"] for x in p.get("plans") or []}
    products = {x["code"] for x in p.get("products") or []}
    staff = {x["username"] for x in p.get("staff") or []}
    teams = {x["name"] for x in p.get("teams") or []}

    def unknown(path, value, known, message):
        if value is not None and value not in known:
            yield problem(path, message % {"name": value})

    vendor = p["vendor"]
    yield from unknown(
        ("vendor", "calendar"), vendor.get("calendar"), calendars, _("neznámý kalendář „%(name)s“")
    )
    for key in ("start_plan", "warranty_plan", "public_plan"):
        yield from unknown(("vendor", key), vendor.get(key), plans, _("neznámý tarif „%(name)s“"))
    for i, name in enumerate(vendor.get("forum_moderators") or []):
        yield from unknown(
            ("vendor", "forum_moderators", i), name, staff, _("neznámý pracovník „%(name)s“")
        )
    for i, cal in enumerate(p.get("calendars") or []):
        yield from _calendar(cal, ("calendars", i), problem)
    for i, policy in enumerate(p.get("sla_policies") or []):
        yield from unknown(
            ("sla_policies", i, "calendar"),
            policy["calendar"],
            calendars,
            _("neznámý kalendář „%(name)s“"),
        )
        seen = set()
        for j, target in enumerate(policy.get("targets") or []):
            path = ("sla_policies", i, "targets", j)
            key = (target["priority"], target.get("type", ""))
            if key in seen:
                yield problem((*path, "priority"), _("cíl pro tuto prioritu a typ je tu dvakrát"))
            seen.add(key)
            for field in ("first_response", "resolution"):
                spec = target.get(field, "")
                if spec and spec != "release" and not _TARGET.match(spec):
                    yield problem(
                        (*path, field),
                        _("neplatná doba „%(spec)s“ (např. 90m, 8h, 2wd, 7d nebo release)")
                        % {"spec": spec},
                    )
    for i, plan in enumerate(p.get("plans") or []):
        yield from unknown(
            ("plans", i, "sla_policy"),
            plan.get("sla_policy"),
            policies,
            _("neznámé SLA „%(name)s“"),
        )
    for i, product in enumerate(p.get("products") or []):
        names = set()
        for j, version in enumerate(product.get("versions") or []):
            path = ("products", i, "versions", j)
            if version["name"] in names:
                yield problem(
                    (*path, "name"),
                    _("„%(value)s“ je v seznamu dvakrát") % {"value": version["name"]},
                )
            names.add(version["name"])
            released, until = version.get("released_on"), version.get("supported_until")
            for field in ("released_on", "supported_until"):
                if version.get(field) and not _is_date(version[field]):
                    yield problem(
                        (*path, field),
                        _("neexistující datum „%(value)s“") % {"value": version[field]},
                    )
            if released and until and _is_date(released) and _is_date(until) and until < released:
                yield problem((*path, "supported_until"), _("podpora končí dřív, než verze vyšla"))
            for k, release in enumerate(version.get("releases") or []):
                for m, file in enumerate(release.get("files") or []):
                    if (file.get("text") is None) == (file.get("sha256") is None):
                        yield problem(
                            (*path, "releases", k, "files", m),
                            _("soubor má mít buď text, nebo sha256"),
                        )
    for i, channel in enumerate(p.get("channels") or []):
        yield from unknown(
            ("channels", i, "calendar"),
            channel.get("calendar"),
            calendars,
            _("neznámý kalendář „%(name)s“"),
        )
    for i, team in enumerate(p.get("teams") or []):
        yield from unknown(
            ("teams", i, "lead"), team.get("lead"), staff, _("neznámý pracovník „%(name)s“")
        )
        for j, member in enumerate(team.get("members") or []):
            yield from unknown(
                ("teams", i, "members", j), member, staff, _("neznámý pracovník „%(name)s“")
            )
    for i, box in enumerate(p.get("mailboxes") or []):
        yield from unknown(
            ("mailboxes", i, "team"), box.get("team"), teams, _("neznámý tým „%(name)s“")
        )
        yield from unknown(
            ("mailboxes", i, "product"),
            box.get("product"),
            products,
            _("neznámý produkt „%(name)s“"),
        )
    scopes = {x["code"] for x in p.get("scope_items") or []}
    for i, macro in enumerate(p.get("macros") or []):
        path = ("macros", i)
        yield from unknown((*path, "team"), macro.get("team"), teams, _("neznámý tým „%(name)s“"))
        yield from unknown(
            (*path, "set_assignee"),
            macro.get("set_assignee"),
            staff,
            _("neznámý pracovník „%(name)s“"),
        )
        yield from unknown(
            (*path, "set_scope"),
            macro.get("set_scope") or None,
            scopes,
            _("neznámý druh požadavku „%(name)s“"),
        )
        if macro.get("set_assignee") and macro.get("assign_to_actor"):
            yield problem(
                (*path, "assign_to_actor"),
                _("zvolte buď pracovníka, nebo toho, kdo makro použije"),
            )
        for lang in ("cs", "sk", "en"):
            names = unknown_placeholders(macro.get(f"body_{lang}") or "")
            if names:
                yield problem(
                    (*path, f"body_{lang}"),
                    _("neznámé zástupné texty: %(names)s") % {"names": ", ".join(names)},
                )


def _is_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse_shift(raw: list[str]) -> tuple[int, int] | None:
    """("08:00", "16:30") -> minutes from the day's midnight (480, 990). "24:00" closes the
    day; an end before the start runs past midnight (("22:00", "06:00") -> (1320, 1800)), as
    in the SLA engine. None when a time is no time of day or the shift has no length."""
    minutes = []
    for i, text in enumerate(raw):
        m = _TIME.match(text)
        if not m:
            return None
        hours, mins = int(m.group(1)), int(m.group(2))
        if mins > 59 or hours > (24 if i else 23) or (hours == 24 and mins):
            return None
        minutes.append(hours * 60 + mins)
    start, end = minutes
    if start == end:
        return None
    return start, end if end > start else end + DAY


def overlapping(spans: list[tuple[int, int]]) -> int | None:
    """Index of a span that overlaps another (minutes of the week, Monday 00:00 = 0; a span
    may run past Sunday's midnight into Monday), else None."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    reach = -1
    for i in order:
        start, end = spans[i]
        if start < reach:
            return i
        reach = max(reach, end)
    if order:
        first = spans[order[0]][0]
        for i in order:
            if spans[i][1] - WEEK > first:
                return order[0]
    return None


def clash(week: dict) -> tuple[str, int] | None:
    """(day, index) of a shift that overlaps another in the week; shifts that are no shift
    at all (``parse_shift`` gives None) are left out, they are reported on their own."""
    spans, where_ = [], []
    for n, day in enumerate(DAYS):
        for i, raw in enumerate(week.get(day) or []):
            shift = parse_shift(raw)
            if shift is not None:
                spans.append((n * DAY + shift[0], n * DAY + shift[1]))
                where_.append((day, i))
    found = overlapping(spans)
    return None if found is None else where_[found]


def _calendar(cal: dict, path: Path, problem):
    try:
        ZoneInfo(cal.get("timezone", "Europe/Prague"))
    except (ZoneInfoNotFoundError, ValueError):
        yield problem(
            (*path, "timezone"),
            _("neznámé časové pásmo „%(name)s“ (např. Europe/Prague)") % {"name": cal["timezone"]},
        )
    for day in DAYS:
        for i, raw in enumerate(cal["week"].get(day) or []):
            if parse_shift(raw) is None:
                yield problem(
                    (*path, "week", day, i),
                    _("neplatná směna %(shift)s (HH:MM–HH:MM od 00:00 do 24:00, nenulová délka)")
                    % {"shift": "–".join(raw)},
                )
    found = clash(cal["week"])
    if found is not None:
        day, i = found
        yield problem(
            (*path, "week", day, i),
            _("směny se překrývají: %(shift)s") % {"shift": "–".join(cal["week"][day][i])},
        )
    holidays = cal.get("holidays") or {}
    supported = holidays_lib.list_supported_countries()
    for i, code in enumerate(holidays.get("countries") or []):
        country, _sep, subdiv = code.partition("-")
        if country not in supported or (subdiv and subdiv not in supported[country]):
            yield problem(
                (*path, "holidays", "countries", i),
                _("neznámý stát „%(code)s“ pro svátky (kód ISO, např. CZ)") % {"code": code},
            )
