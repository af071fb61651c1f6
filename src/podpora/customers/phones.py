"""Phone numbers as the hotline compares them: one form (E.164, "+420602570507") whatever way
they were written ("602 570 507", "00420 602 570 507", "+420 602-570-507").

Google's libphonenumber rules (the ``phonenumberslite`` package) read the number; a number
written without a country code is taken as Czech. Pure: no Django.
"""

from __future__ import annotations

import re

import phonenumbers

#: A number written without a country code belongs here.
DEFAULT_REGION = "CZ"
_DIGITS = re.compile(r"\d")


def normalize(raw: str, region: str = DEFAULT_REGION) -> str:
    """The number in E.164, or "" when ``raw`` is no possible phone number."""
    text = (raw or "").strip()
    if len(_DIGITS.findall(text)) < 6 or len(text) > 40:
        return ""
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def digits(raw: str) -> str:
    """Only the digits of what was typed ("602 57" -> "60257"), for a partial match."""
    return "".join(_DIGITS.findall(raw or ""))


def display(e164: str) -> str:
    """The stored number as people read it ("+420 602 570 507")."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
