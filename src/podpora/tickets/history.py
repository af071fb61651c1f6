"""A ticket's history as sentences in the reader's language.

Events are stored as codes with parameters (``Event.kind`` and ``Event.data``, written by
``tickets/events.py``); this module turns them into text at display time, in the language
that is active (``django.utils.translation``), so a history reads in Czech, Slovak or English
whoever wrote it. It is the only place that knows how an event reads: the console and portal
timelines, the SLA card and the API all call :func:`describe`.

Customers see only what concerns them: :func:`visible_to_customer` hides the kinds in
``INTERNAL_KINDS`` whatever the row's ``customer_visible`` flag says (older rows of escalations
were stored as visible), and :func:`describe` leaves internal details out for them.

Reasons (an entitlement's refusal, an escalation's cause, …) are codes with parameters too;
:func:`reason_text` renders them. A free text stored by older versions is shown as it was.

How to add an event kind
    1. Write it with a function in ``tickets/events.py`` (``_write(ticket, "my_kind", …, x=…)``);
       pass codes and plain values (numbers, ISO instants, names), never translated text.
    2. Add a renderer here::

           @renders("my_kind")
           def _my_kind(d, who, staff):
               return _("%(who)s udělal(a) něco s %(x)s.") % {"who": who, "x": d.get("x", "")}

       ``d`` is the event's data, ``who`` the actor's name (or "Systém"), ``staff`` whether the
       reader is staff. Use ``d.get`` – old rows may lack a newer key. Dates: :func:`when`,
       money: :func:`money`, durations: :func:`minutes_text`.
    3. If customers must not see it, add the kind to ``INTERNAL_KINDS`` (and write it with
       ``customer_visible=False``).
    4. Append the Czech msgid with its Slovak and English translation at the end of the three
       ``django.po`` files and add a row to ``tests/tickets/test_history.py``.

How to add a reason
    Entitlement reasons: a code and an English msgid in ``customers/entitlements.REASONS``
    (its ``{placeholders}`` filled from the stored parameters). Other reasons: a code and a
    Czech msgid in ``REASONS`` below (``{placeholders}`` the same way). Store only the code
    and the parameters; call :func:`reason_text` when showing it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext_noop, ngettext, pgettext
from django.utils.translation import gettext as _

Renderer = Callable[[Mapping[str, Any], str, bool], str]
_RENDERERS: dict[str, Renderer] = {}

#: Kinds a customer never sees (internal work, levels, money matters of the vendor, SLA clocks).
INTERNAL_KINDS = frozenset(
    {
        "note_added",
        "assigned",
        "escalated",
        "linked",
        "entitlement",
        "sla_targets",
        "sla_paused",
        "sla_resumed",
        "sla_warned",
        "sla_breached",
        "time_logged",
        "prepaid_low",
        "prepaid_exhausted",
        "free_calls_exhausted",
        "incidents_told",
    }
)

#: Reasons other than the entitlement's: code -> Czech msgid with ``{placeholders}``.
REASONS: dict[str, str] = {
    "SLA": gettext_noop("termín SLA byl překročen"),  # the scanner escalates on a breach
    "sla": gettext_noop("termín SLA byl překročen"),
    # received e-mail (``InboundMessage.reason``)
    "too_large": gettext_noop("Zpráva je větší, než kolik přijímáme."),
    "bounce": gettext_noop("Vrácená zpráva o nedoručení."),
    "foreign_reply": gettext_noop("Odpověď od odesílatele, který k požadavku nepatří."),
    "auto_reply": gettext_noop("Automatická odpověď (např. nepřítomnost)."),
    "no_mailbox": gettext_noop("Zpráva není určena žádné naší adrese."),
    "error": gettext_noop("Zprávu se nepodařilo zpracovat."),
    "own_loop": gettext_noop("Naše vlastní zpráva se vrátila."),
    "unknown_sender": gettext_noop("Neznámý odesílatel; odpověděli jsme mu odkazem na portál."),
    "duplicate": gettext_noop("Stejná zpráva už přišla jinou schránkou."),
    "closed_ticket": gettext_noop("Odpověď k uzavřenému požadavku založila nový požadavek."),
}

#: What kind of mail a received message is (``InboundMessage.classification``).
MAIL_KINDS: dict[str, str] = {
    "normal": gettext_noop("zpráva od člověka"),
    "auto_reply": gettext_noop("automatická odpověď"),
    "bounce": gettext_noop("zpráva o nedoručení"),
    "own_loop": gettext_noop("naše vlastní zpráva"),
    "bulk": gettext_noop("hromadná zpráva"),
}


def mail_kind_label(code: str | None) -> str:
    return _(MAIL_KINDS[code]) if code in MAIL_KINDS else (code or "–")


def renders(kind: str) -> Callable[[Renderer], Renderer]:
    def register(fn: Renderer) -> Renderer:
        _RENDERERS[kind] = fn
        return fn

    return register


def visible_to_customer(kind: str, customer_visible: bool = True) -> bool:
    return customer_visible and kind not in INTERNAL_KINDS and not kind.startswith("sla_")


def describe(event, *, staff: bool = True) -> str:
    """One event (an ``Event`` row or anything with kind, data, actor_label) as a sentence."""
    return render(event.kind, event.data or {}, actor=event.actor_label or "", staff=staff)


def render(kind: str, data: Mapping[str, Any], *, actor: str = "", staff: bool = True) -> str:
    who = actor or _("Systém")
    fn = _RENDERERS.get(kind)
    if fn is None:
        return _("Jiná změna požadavku.")
    try:
        return fn(data, who, staff)
    except (KeyError, TypeError, ValueError):  # a row older than its renderer: still a sentence
        return _("Jiná změna požadavku.")


# --- values ------------------------------------------------------------------------------------


def _lang() -> str:
    return (get_language() or "cs").split("-")[0]


def when(value: datetime | date | str | None) -> str:
    """An instant in Prague time as the reader writes it: "3. 12. 2026 10:14" (en "3 Dec 2026, 10:14")."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        parsed = parse_datetime(value) if len(value) > 10 else None
        if parsed is None:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return value
        else:
            value = parsed
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")  # podpora/formats
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def amount(value: Decimal | str | int | float | None) -> str:
    """A sum without its currency: "1 500,00" (en "1,500.00")."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(value)
    text = f"{number:,.2f}"
    return text if _lang() == "en" else text.replace(",", "\u00a0").replace(".", ",")


def money(value: Decimal | str | int | float | None, currency: str = "Kč") -> str:
    """ "1 500,00 Kč" (en "CZK 1,500.00")."""
    if value is None or value == "":
        return "–"
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return str(value)
    text = f"{amount:,.2f}"
    if _lang() == "en":
        return f"CZK {text}" if currency == "Kč" else f"{text} {currency}"
    return text.replace(",", "\u00a0").replace(".", ",") + f"\u00a0{currency}"


def minutes_text(minutes: int | float | None) -> str:
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": rest}
    if hours:
        return ngettext("%(n)s hodina", "%(n)s hodin", hours) % {"n": hours}
    return ngettext("%(n)s minuta", "%(n)s minut", minutes) % {"n": minutes}


def target_text(spec: str | None) -> str:
    """An SLA target ("90m", "8h", "2wd", "7d", "release") in words."""
    spec = (spec or "").strip().lower()
    if not spec:
        return _("bez lhůty")
    if spec == "release":
        return _("s vydáním opravy")
    for suffix in ("wd", "m", "h", "d"):
        if spec.endswith(suffix) and spec[: -len(suffix)].strip().isdigit():
            n = int(spec[: -len(suffix)])
            if suffix == "m":
                return ngettext("%(n)s minuta pracovní doby", "%(n)s minut pracovní doby", n) % {
                    "n": n
                }
            if suffix == "h":
                return ngettext("%(n)s hodina pracovní doby", "%(n)s hodin pracovní doby", n) % {
                    "n": n
                }
            if suffix == "wd":
                return ngettext("%(n)s pracovní den", "%(n)s pracovních dnů", n) % {"n": n}
            return ngettext("%(n)s kalendářní den", "%(n)s kalendářních dnů", n) % {"n": n}
    return spec


def state_label(code: str | None) -> str:
    from .models import STATE_CHOICES

    return _label(STATE_CHOICES, code)


def priority_label(code: int | str | None) -> str:
    from .models import PRIORITY_CHOICES

    return _label(PRIORITY_CHOICES, code)


def level_label(code: int | str | None) -> str:
    """Impact and urgency: "vysoká", "střední", "nízká"."""
    from .models import LEVEL_CHOICES

    return _label(LEVEL_CHOICES, code)


def impact_label(code: int | str | None) -> str:
    """Impact is masculine in Czech and Slovak ("dopad vysoký"), urgency feminine."""
    from .models import IMPACT_CHOICES

    return _label(IMPACT_CHOICES, code)


def entitlement_label(code: str | None) -> str:
    from .models import ENTITLEMENT_CHOICES

    return _label(ENTITLEMENT_CHOICES, code)


def channel_label(code: str | None) -> str:
    from .models import CHANNEL_CHOICES

    labels = {
        "console": _("konzole"),
        "system": _("systém"),
        "remote": _("vzdálené připojení"),
        "fax": _("fax"),
        "post": _("pošta"),
    }
    if code in labels:
        return labels[code]
    return _label(CHANNEL_CHOICES, code)


def _label(choices, code) -> str:
    for value, label in choices:
        if str(value) == str(code):
            return str(label)
    return "–" if code in (None, "") else str(code)


def reason_text(
    code: str | None, params: Mapping[str, Any] | None = None, fallback: str = ""
) -> str:
    """A stored reason code with its parameters in the reader's language.

    Entitlement codes come from ``customers.entitlements.REASONS``; others from ``REASONS``.
    A reason whose placeholders have no stored parameters (rows older than the parameters)
    shows ``fallback``, the text stored then (or nothing); an unknown code (a free text) is
    shown as it is."""
    from podpora.customers import entitlements

    code = code or ""
    template = entitlements.REASONS.get(code) or REASONS.get(code)
    if template is None:
        return fallback or code
    try:
        return _(template).format(**{k: _param(k, v) for k, v in dict(params or {}).items()})
    except (KeyError, IndexError, ValueError):  # stored before its parameters were
        return fallback


# --- renderers, one per kind -------------------------------------------------------------------


@renders("created")
def _created(d, who, staff):
    return _("%(who)s založil(a) požadavek.") % {"who": who}


@renders("message_added")
def _message(d, who, staff):
    return _("%(who)s přidal(a) zprávu.") % {"who": who}


@renders("note_added")
def _note(d, who, staff):
    return _("%(who)s přidal(a) interní poznámku.") % {"who": who}


@renders("state_changed")
def _state(d, who, staff):
    if d.get("withdrawn"):
        return _(
            "%(who)s požadavek stáhl(a), dřív než byl vyřešen (už ho nepotřebuje); "
            "do plnění termínů se nepočítá."
        ) % {"who": who}
    return _("%(who)s změnil(a) stav z „%(old)s“ na „%(new)s“.") % {
        "who": who,
        "old": state_label(d.get("old")),
        "new": state_label(d.get("new")),
    }


@renders("priority_changed")
def _priority(d, who, staff):
    text = _("Priorita změněna z „%(old)s“ na „%(new)s“") % {
        "old": priority_label(d.get("old")),
        "new": priority_label(d.get("new")),
    }
    if d.get("impact") is not None and d.get("urgency") is not None:
        text += " " + _("(dopad %(impact)s, naléhavost %(urgency)s)") % {
            "impact": impact_label(d["impact"]),
            "urgency": level_label(d["urgency"]),
        }
    return text + "."


@renders("assigned")
def _assigned(d, who, staff):
    new = d.get("new_label") or d.get("new")
    team = d.get("team")
    if not new:
        if team:
            return _("%(who)s zrušil(a) přidělení řešiteli; tým %(team)s.") % {
                "who": who,
                "team": team,
            }
        return _("%(who)s zrušil(a) přidělení řešiteli.") % {"who": who}
    if team:
        return _("%(who)s přidělil(a) požadavek: %(new)s (tým %(team)s).") % {
            "who": who,
            "new": new,
            "team": team,
        }
    return _("%(who)s přidělil(a) požadavek: %(new)s.") % {"who": who, "new": new}


@renders("escalated")
def _escalated(d, who, staff):
    reason = reason_text(d.get("reason"), {}, d.get("reason", ""))
    text = _("Předáno z úrovně řešení %(old)s na úroveň %(new)s") % {
        "old": d.get("old", "–"),
        "new": d.get("new", "–"),
    }
    return f"{text}: {reason}." if reason else f"{text}."


_LINKS = {
    "duplicate": gettext_noop("Označeno jako duplicita požadavku %(other)s."),
    "duplicate_of": gettext_noop("Požadavek %(other)s je jeho duplicitou."),
    "caused_by": gettext_noop("Způsobeno problémem %(other)s."),
    "caused_by_of": gettext_noop("Tento problém způsobil požadavek %(other)s."),
    "related": gettext_noop("Souvisí s požadavkem %(other)s."),
    "related_of": gettext_noop("Souvisí s požadavkem %(other)s."),
    "fixed_in": gettext_noop("Opraveno ve vydání opravy požadavku %(other)s."),
    "fixed_in_of": gettext_noop("Oprava tohoto požadavku řeší i požadavek %(other)s."),
}


@renders("linked")
def _linked(d, who, staff):
    template = _LINKS.get(d.get("link", ""), gettext_noop("Propojeno s požadavkem %(other)s."))
    return _(template) % {"other": d.get("other", "–")}


@renders("merged")
def _merged(d, who, staff):
    return _("Sloučeno do požadavku %(into)s.") % {"into": d.get("into", "–")}


@renders("split_from")
def _split_from(d, who, staff):
    return _("Odděleno ze zprávy v požadavku %(other)s.") % {"other": d.get("other", "–")}


@renders("fixed_in_release")
def _fixed(d, who, staff):
    return _("Opraveno ve vydání %(release)s.") % {"release": d.get("release", "–")}


@renders("entitlement")
def _entitlement(d, who, staff):
    status = entitlement_label(d.get("status"))
    if d.get("overridden"):
        return _("%(who)s změnil(a) nárok na „%(status)s“: %(note)s") % {
            "who": who,
            "status": status,
            "note": d.get("note", ""),
        }
    reason = reason_text(d.get("reason"), d.get("params"), d.get("detail", ""))
    if not reason or d.get("reason") == "covered" and not d.get("params"):
        return _("Nárok: %(status)s.") % {"status": status}
    return _("Nárok: %(status)s – %(reason)s") % {"status": status, "reason": reason}


def _clock(name: str | None) -> str:
    return _("první reakce") if name == "first_response" else _("vyřešení")


@renders("sla_targets")
def _sla_targets(d, who, staff):
    return _(
        "SLA %(policy)s: první reakce %(first)s (do %(first_due)s), vyřešení %(res)s (do %(res_due)s)."
    ) % {
        "policy": d.get("policy") or "–",
        "first": target_text(d.get("first_response")),
        "first_due": when(d.get("first_response_due")),
        "res": target_text(d.get("resolution")),
        "res_due": when(d.get("resolution_due")),
    }


@renders("sla_paused")
def _sla_paused(d, who, staff):
    return _("SLA pozastaveno: čeká se na zákazníka.")


@renders("sla_resumed")
def _sla_resumed(d, who, staff):
    minutes = round(int(d.get("paused_seconds") or 0) / 60)
    return _("SLA znovu běží (pozastaveno %(time)s).") % {"time": minutes_text(minutes)}


@renders("sla_warned")
def _sla_warned(d, who, staff):
    if d.get("due"):
        return _(
            "Blíží se termín SLA (%(clock)s do %(due)s): upozorněn řešitel a vedoucí týmu."
        ) % {"clock": _clock(d.get("clock")), "due": when(d.get("due"))}
    return _("Blíží se termín SLA: upozorněn řešitel a vedoucí týmu.")


@renders("sla_breached")
def _sla_breached(d, who, staff):
    return _("Termín SLA překročen: %(clock)s.") % {"clock": _clock(d.get("clock"))}


_CAUSES = {
    "software": gettext_noop("chyba programu"),
    "configuration": gettext_noop("chybná konfigurace"),
    "operation": gettext_noop("chyba obsluhy"),
    "data": gettext_noop("data zákazníka"),
    "third_party": gettext_noop("produkt třetí strany"),
}


@renders("cause_set")
def _cause(d, who, staff):
    cause = _CAUSES.get(d.get("new") or "")
    return _("Příčina: %(cause)s.") % {"cause": _(cause) if cause else _("nezjištěna")}


@renders("bug_confirmed")
def _bug(d, who, staff):
    text = _("%(who)s ověřil(a) chybu testem.") % {"who": who}
    if staff and d.get("note"):
        text += f" {d['note']}"
    return text


@renders("data_requested")
def _data_requested(d, who, staff):
    return _("%(who)s požádal(a) o data k analýze; lhůta řešení poběží od jejich doručení.") % {
        "who": who
    }


@renders("data_received")
def _data_received(d, who, staff):
    return _("Data k analýze byla doručena; od této chvíle běží lhůta řešení.")


@renders("quote_sent")
def _quote_sent(d, who, staff):
    return _(
        "%(who)s poslal(a) nabídku č. %(n)s: %(hours)s h za %(amount)s bez DPH, dodání do %(date)s."
    ) % {
        "who": who,
        "n": d.get("quote", ""),
        "hours": amount(d.get("hours")).removesuffix(",00").removesuffix(".00"),
        "amount": money(d.get("amount")),
        "date": when(d.get("delivery_on")),
    }


@renders("quote_approved")
def _quote_approved(d, who, staff):
    return _("%(who)s schválil(a) nabídku č. %(n)s.") % {"who": who, "n": d.get("quote", "")}


@renders("quote_refused")
def _quote_refused(d, who, staff):
    return _("%(who)s odmítl(a) nabídku č. %(n)s.") % {"who": who, "n": d.get("quote", "")}


@renders("quote_delivered")
def _quote_delivered(d, who, staff):
    return _("%(who)s dodal(a) změnu podle nabídky č. %(n)s (fakturuje se %(amount)s).") % {
        "who": who,
        "n": d.get("quote", ""),
        "amount": money(d.get("amount")),
    }


@renders("root_cause_set")
def _root_cause(d, who, staff):
    return _("%(who)s zapsal(a) příčinu problému.") % {"who": who}


@renders("problem_resolved")
def _problem_resolved(d, who, staff):
    if d.get("resolved"):
        return _("Vyřešeno spolu s problémem %(problem)s.") % {"problem": d.get("problem", "–")}
    return _("Problém %(problem)s, který požadavek způsobil, je vyřešen.") % {
        "problem": d.get("problem", "–")
    }


@renders("incidents_told")
def _incidents_told(d, who, staff):
    numbers = ", ".join(d.get("incidents") or [])
    if d.get("resolved"):
        return _("Vyřešeny incidenty: %(numbers)s.") % {"numbers": numbers}
    return _("Zákazníkům incidentů oznámeno vyřešení: %(numbers)s.") % {"numbers": numbers}


_MODES = {
    "covered": gettext_noop("v rámci smlouvy"),
    "prepaid": gettext_noop("z předplaceného balíku"),
    "billable": gettext_noop("k fakturaci"),
}


@renders("time_logged")
def _time(d, who, staff):
    parts = [_("%(who)s vykázal(a) %(time)s") % {"who": who, "time": minutes_text(d["minutes"])}]
    mode = _MODES.get(d.get("mode") or "")
    if mode:
        parts.append(_(mode))
    if d.get("work_channel") in ("phone", "remote"):
        parts.append(
            "("
            + (_("telefonát") if d["work_channel"] == "phone" else _("vzdálené připojení"))
            + ")"
        )
    text = " ".join(parts)
    if d.get("package"):
        text += ", " + _("balík %(package)s") % {"package": d["package"]}
    if d.get("rate"):
        text += ", " + _("sazba %(rate)s/h") % {"rate": money(d["rate"])}
    return text + "."


@renders("prepaid_low")
def _prepaid_low(d, who, staff):
    return _("Předplacený balík %(package)s dochází: zbývá %(left)s.") % {
        "package": d.get("package", "–"),
        "left": minutes_text(d.get("minutes_left")),
    }


@renders("prepaid_exhausted")
def _prepaid_exhausted(d, who, staff):
    return _("Předplacený balík %(package)s je vyčerpán.") % {"package": d.get("package", "–")}


@renders("free_calls_exhausted")
def _free_calls(d, who, staff):
    period = d.get("period")
    per = {
        "month": pgettext("za období", "za měsíc"),
        "year": pgettext("za období", "za rok"),
    }.get(period, pgettext("za období", "za období"))
    return _(
        "Bezplatné telefonické konzultace (%(free)s %(per)s) jsou vyčerpány; placeno %(paid)s."
    ) % {
        "free": minutes_text(d.get("free_minutes")),
        "per": per,
        "paid": minutes_text(d.get("paid_minutes")),
    }


_FIELDS = {
    "product": gettext_noop("%(who)s změnil(a) produkt z „%(old)s“ na „%(new)s“."),
    "version": gettext_noop("%(who)s změnil(a) verzi z „%(old)s“ na „%(new)s“."),
    "licence": gettext_noop("%(who)s změnil(a) licenci z „%(old)s“ na „%(new)s“."),
    "organization": gettext_noop("%(who)s změnil(a) organizaci z „%(old)s“ na „%(new)s“."),
    "contact": gettext_noop("%(who)s změnil(a) kontakt z „%(old)s“ na „%(new)s“."),
    "type": gettext_noop("%(who)s změnil(a) typ požadavku z „%(old)s“ na „%(new)s“."),
    "scope": gettext_noop("%(who)s změnil(a) druh požadavku z „%(old)s“ na „%(new)s“."),
    "subject": gettext_noop("%(who)s změnil(a) předmět z „%(old)s“ na „%(new)s“."),
    "language": gettext_noop("%(who)s změnil(a) jazyk z „%(old)s“ na „%(new)s“."),
}


def _value(value) -> str:
    if value in (None, "", []):
        return _("nic")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


@renders("field_changed")
def _field(d, who, staff):
    field = d.get("field", "")
    if field == "cc":
        return _("%(who)s změnil(a) adresy v kopii na: %(new)s.") % {
            "who": who,
            "new": _value(d.get("new")),
        }
    template = _FIELDS.get(field) or gettext_noop(
        "%(who)s změnil(a) údaj požadavku z „%(old)s“ na „%(new)s“."
    )
    if field == "scope":
        plain = pgettext("druh požadavku", "běžná podpora")
        return _(template) % {
            "who": who,
            "old": scope_label(d.get("old"), d.get("vendor_id")) if d.get("old") else plain,
            "new": scope_label(d.get("new"), d.get("vendor_id")) if d.get("new") else plain,
        }
    return _(template) % {
        "who": who,
        "old": _value(d.get("old_label", d.get("old"))),
        "new": _value(d.get("new_label", d.get("new"))),
    }


# --- reasons' parameters -----------------------------------------------------------------------

#: Kinds of request outside ordinary support (``Ticket.scope``) as people read them.
SCOPE_LABELS: dict[str, str] = {
    "training": gettext_noop("školení"),
    "third_party": gettext_noop("integrace s produkty třetích stran"),
    "programming": gettext_noop("programování"),
    "onsite": gettext_noop("práce u zákazníka"),
    "operations": gettext_noop("provozní služby"),
    "data_export": gettext_noop("nastavení exportů dat pro nadřízené systémy"),
    "installation": gettext_noop("instalace"),
    "consulting": gettext_noop("konzultace"),
    "analysis": gettext_noop("analytické práce"),
    "global_configuration": gettext_noop("globální nastavení systému"),
}

_LANGUAGE_NAMES = {
    "cs": gettext_noop("čeština"),
    "sk": gettext_noop("slovenština"),
    "en": gettext_noop("angličtina"),
    "de": gettext_noop("němčina"),
}


def type_label(code: str | None) -> str:
    from .models import TYPE_CHOICES

    return _label(TYPE_CHOICES, code)


def scope_label(code: str | None, vendor_id: int | None = None) -> str:
    """With the vendor known, its own name of the kind (``customers.ScopeItem``) in the
    reader's language; else the seed pages' names."""
    if code and vendor_id:
        from podpora.customers.models import ScopeItem

        item = ScopeItem.objects.filter(code=code, vendor_id=vendor_id).first()
        if item is not None:
            return item.label()
    return _(SCOPE_LABELS[code]) if code in SCOPE_LABELS else (code or "–")


def _param(name: str, value: Any) -> str:
    """A reason's parameter as people read it: names stay, codes and dates are rendered."""
    if value is None:
        return "–"
    text = str(value)
    if name == "channel":
        return channel_label(text)
    if name == "ticket_type":
        return type_label(text)
    if name == "scope":
        return scope_label(text)
    if name == "languages":
        codes = [c.strip() for c in text.split(",") if c.strip()]
        return ", ".join(_(_LANGUAGE_NAMES[c]) if c in _LANGUAGE_NAMES else c for c in codes)
    if name in ("valid_to", "valid_from", "supported_until", "due", "until") or name.endswith(
        "_on"
    ):
        return when(text)
    return text


def ticket_reason(ticket) -> str:
    """The reason of a ticket's entitlement in the reader's language (old rows: their text);
    a kind of request is named as the ticket's vendor calls it."""
    params = getattr(ticket, "entitlement_params", None)
    if params and params.get("scope"):
        params = {**params, "scope": scope_label(params["scope"], ticket.vendor_id)}
    return reason_text(ticket.entitlement_reason, params, ticket.entitlement_detail)
