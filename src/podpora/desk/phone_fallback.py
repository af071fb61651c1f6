"""The phone as the substitute registration (HR Plus): every call can be recorded, also from
someone the support centre does not know yet.

- a prospect, or a company that is not in the register at all (recorded now as a prospect):
  the question is registered as one to the collector ("Dotaz do Centra podpory"), and the
  answer goes to the e-mail address the caller gives, with the private link, as the form's;
- a person the hotline does not know, calling for a customer: recorded as an unconfirmed
  authorised person (no portal account), whom the customer admin confirms on the people page;
  the call is registered for them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from podpora.core.text import fold
from podpora.customers import people
from podpora.customers.models import Organization
from podpora.customers.validators import normalize_ico, validate_ico


def identify(form, vendor, data: dict) -> dict:
    """What the phone form found for an unknown caller; errors go on ``form``."""
    ico = normalize_ico(data.get("ico") or "")
    company = (data.get("caller_company") or "").strip()
    first = (data.get("first_name") or "").strip()
    last = (data.get("last_name") or "").strip()
    email = (data.get("caller_email") or "").strip().lower()
    if ico:
        try:
            validate_ico(ico)
        except ValidationError as exc:
            form.add_error("ico", exc)
            ico = ""
    org = Organization.objects.filter(vendor=vendor, ico=ico).first() if ico else None
    if org is None and company and not ico:
        wanted = fold(company)
        org = next(
            (o for o in Organization.objects.filter(vendor=vendor) if fold(o.name) == wanted),
            None,
        )
    found = {
        "vendor": vendor,
        "licence": None,
        "organization": org,
        "contact": None,
        "requester_name": f"{first} {last}".strip(),
        "first_name": first,
        "last_name": last,
        "version": None,
        "implemented_function": None,
        "fallback": None,
        "company": company,
        "ico": ico,
        "email": email,
    }
    if not (first and last):
        form.add_error("last_name", _("Uveďte jméno i příjmení volajícího."))
    if org is None or org.stage == Organization.Stage.PROSPECT:
        if org is None and not (company or ico):
            form.add_error("caller_company", _("Uveďte IČO nebo název společnosti nového zájemce."))
        if not email:
            form.add_error(
                "caller_email",
                _("Odpověď potenciálnímu zákazníkovi posíláme e-mailem: uveďte jeho adresu."),
            )
        found["fallback"] = "prospect"
        return found
    from .phone import _find_contact

    if first and last and _find_contact(org, first, last) is not None:
        form.add_error(
            None,
            _("%(name)s je v organizaci %(org)s v evidenci: zaregistrujte hovor bez zaškrtnutí.")
            % {"name": f"{first} {last}", "org": org.name},
        )
    found["fallback"] = "new_person"
    return found


def prepare(found: dict) -> dict:
    """Create what the call needs before the ticket (inside register_call's transaction):
    the prospect's organisation, or the unconfirmed person; returns NewTicket overrides."""
    org = found["organization"]
    if found["fallback"] == "prospect":
        if org is None:
            org = Organization.objects.create(
                vendor=found["vendor"],
                name=found["company"] or _("IČO %(ico)s") % {"ico": found["ico"]},
                ico=found["ico"],
                stage=Organization.Stage.PROSPECT,
            )
        return {
            "channel": "webform",
            "organization": org,
            "contact": None,
            "requester_email": found["email"],
            "requester_name": found["requester_name"],
            "sender_verified": False,
        }
    contact = people.record_caller(org, found["first_name"], found["last_name"], found["email"])
    return {"contact": contact, "organization": org}
