"""What a stored message's outcome says, in the reader's language.

Ingest stores a code and its values (``InboundMessage.detail_code`` and ``detail_params``),
never a sentence: the quarantine is read by agents in Czech, Slovak or English, long after the
worker that wrote the row. ``InboundMessage.detail`` keeps only free text nobody translates
(an unexpected error, what a loop check saw)."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "too_large": _("Zpráva má %(size)s, limit je %(limit)s."),
    "too_large_headers": _(
        "Zpráva má %(size)s, limit je %(limit)s. Uložena je jen hlavička; zpráva zůstala "
        "na serveru."
    ),
    "foreign_sender": _("Odesílatel %(sender)s nepatří k požadavku %(number)s."),
    "foreign_reply_filed": _("Odpověď z cizí adresy k požadavku %(number)s."),
    "unknown_sender_answered": _("Odesílateli byla poslána odpověď s odkazem na portál."),
    "end_user": _("Koncový uživatel zákazníka nemůže zakládat požadavky."),
    "end_user_answered": _(
        "Koncový uživatel zákazníka nemůže zakládat požadavky. Odesílateli bylo odpovězeno, "
        "na koho se obrátit."
    ),
    "collector": _(
        "Zaznamenáno jako Dotaz do Centra podpory: odesílatele podpora obsluhuje formulářem, "
        "odpověď půjde na jeho adresu."
    ),
    "closed_ticket": _("Navazuje na uzavřený požadavek %(number)s."),
    "no_mailbox": _("Zpráva není určena žádné naší adrese."),
    # what the loop check saw (mail/loops.py)
    "dsn": _("Zpráva je oznámení o (ne)doručení (multipart/report, delivery-status)."),
    "system_sender": _("Odesílatel %(sender)s je systémová adresa poštovního serveru."),
    "bounce_subject": _("Prázdná zpáteční adresa a předmět zprávy o nedoručení."),
    "own_address": _("Odesílatel %(sender)s je naše vlastní adresa."),
    "x_loop_own": _("Hlavička X-Loop nese naši adresu %(value)s: zpráva se k nám vrátila."),
    "own_message_id": _("Vrátila se naše vlastní zpráva %(message_id)s."),
    "auto_submitted": _("Hlavička Auto-Submitted: %(value)s (zprávu odeslal automat)."),
    "read_receipt": _("Potvrzení o přečtení zprávy."),
    "x_autoreply": _("Hlavička X-Autoreply nebo X-Autorespond (automatická odpověď)."),
    "precedence": _("Hlavička Precedence: %(value)s (automatická nebo hromadná zpráva)."),
    "x_auto_response_suppress": _(
        "Hlavička X-Auto-Response-Suppress: %(value)s (automatická odpověď)."
    ),
    "x_loop": _("Hlavička X-Loop: %(value)s (zprávu poslal automat)."),
    "null_return_path": _("Prázdná zpáteční adresa (Return-Path <>), jakou mají automaty."),
    "auto_reply_subject": _("Předmět automatické odpovědi (např. „Mimo kancelář“)."),
    "list_id": _("Hlavička List-Id (zpráva z e-mailové konference)."),
    "list_unsubscribe": _("Hlavička List-Unsubscribe (hromadně rozesílaná zpráva)."),
}

#: values that are numbers of bytes, shown as "30,5 MB"
SIZES = frozenset({"size", "limit"})


def text(code: str, params: dict | None, fallback: str = "") -> str:
    """The sentence of ``code`` with its ``params``, in the active language; ``fallback`` (the
    stored free text) for no code or one this version does not know."""
    template = MESSAGES.get(code)
    if template is None:
        return fallback
    values = {k: filesizeformat(v) if k in SIZES else v for k, v in (params or {}).items()}
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return fallback or str(template)
