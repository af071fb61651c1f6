"""The placeholders of a macro's text: ``{osloveni}``, ``{cislo}``… Replaced by a plain
look-up, never by ``str.format`` (no attribute access from a text an agent typed)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

#: name -> what it stands for (shown beside the macro's text)
PLACEHOLDERS = {
    "osloveni": _("pozdrav s oslovením zákazníka v 5. pádě („Dobrý den, paní Dvořáková“)"),
    "jmeno": _("oslovení zákazníka v 5. pádě („paní Dvořáková“)"),
    "cislo": _("číslo požadavku"),
    "termin": _("slíbený termín vyřešení slovy"),
    "produkt": _("produkt"),
    "verze": _("verze"),
    "agent": _("jméno pracovníka, který makro použije"),
}
_TOKEN = re.compile(r"\{(\w+)\}")  # any word, so that a mistyped "{oslovení}" is refused


def unknown_placeholders(text: str) -> list[str]:
    return sorted({m for m in _TOKEN.findall(text or "") if m not in PLACEHOLDERS})


def fill(text: str, values: dict[str, str]) -> str:
    """Each known ``{name}`` replaced by its value; anything else left as typed."""
    return _TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), text or "")
