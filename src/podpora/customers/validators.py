"""IČO and DIČ checks through python-stdnum, with messages a Czech clerk understands."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cz import dic as cz_dic
from stdnum.sk import dph as sk_dph


def normalize_ico(value: str) -> str:
    return "".join((value or "").split())


def validate_ico(value: str) -> None:
    """An IČO is 8 digits with a mod-11 check digit (the same for Czech and Slovak companies)."""
    ico = normalize_ico(value)
    if not (len(ico) == 8 and ico.isdigit() and cz_dic.is_valid(ico)):
        raise ValidationError(
            _("IČO „%(value)s“ není platné: musí mít 8 číslic se správnou kontrolní číslicí."),
            code="invalid_ico",
            params={"value": value},
        )


def validate_dic(value: str) -> None:
    dic = "".join((value or "").split()).upper()
    valid = (dic.startswith("CZ") and cz_dic.is_valid(dic)) or (
        dic.startswith("SK") and sk_dph.is_valid(dic)
    )
    if not valid:
        raise ValidationError(
            _("DIČ „%(value)s“ není platné (očekává se CZ nebo SK a platné číslo)."),
            code="invalid_dic",
            params={"value": value},
        )
