"""SLA targets in words, as customers read them: "do 2 pracovních dnů", "do 4 hodin v pracovní době".

The target spec ("90m", "8h", "2wd", "7d", "release") is parsed by :mod:`podpora.sla.clock`;
whole hours given in minutes ("120m") are said in hours. Plural forms follow the reader's
language through ``ngettext`` (Czech and Slovak have three).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .clock import Unit, parse_target


def normalised(spec: str) -> tuple[str, int] | None:
    """(unit, amount) of a target spec, whole hours as hours; None for an empty or bad spec."""
    spec = (spec or "").strip()
    if not spec or spec == "release":
        return None
    try:
        target = parse_target(spec)
    except ValueError:
        return None
    if target.unit is Unit.MINUTES and target.amount >= 60 and target.amount % 60 == 0:
        return Unit.HOURS.value, target.amount // 60
    return target.unit.value, target.amount


def within(spec: str) -> str:
    """ "do 2 pracovních dnů" (the time after "nejpozději"), in the active language; "" when
    the spec promises nothing."""
    if (spec or "").strip() == "release":
        return _("v nejbližší oficiální aktualizaci")
    parts = normalised(spec)
    if parts is None:
        return ""
    unit, n = parts
    if unit == Unit.MINUTES:
        text = ngettext("do %(n)s minuty v pracovní době", "do %(n)s minut v pracovní době", n)
    elif unit == Unit.HOURS:
        text = ngettext("do %(n)s hodiny v pracovní době", "do %(n)s hodin v pracovní době", n)
    elif unit == Unit.WORKING_DAYS:
        text = ngettext("do %(n)s pracovního dne", "do %(n)s pracovních dnů", n)
    else:
        text = ngettext("do %(n)s dne", "do %(n)s dnů", n)
    return text % {"n": n}


def promise(kind: str, spec: str) -> str:
    """The whole promise: "odpověď nejpozději do 2 pracovních dnů", "vyřešení nejpozději …"."""
    words = within(spec)
    if not words:
        return ""
    if spec.strip() == "release":
        return _("vyřešení %(when)s") % {"when": words}
    if kind == "first_response":
        return _("odpověď nejpozději %(when)s") % {"when": words}
    return _("vyřešení nejpozději %(when)s") % {"when": words}
