"""The hotline's phone form: find the caller, see what they may have, register the call.

The page opens with the look-up (``lookup.py``): as the agent types, the licences,
organisations and people that fit are listed; picking one shows the caller's card before
anything is saved (contracts, the entitlement for the chosen version, prepaid time, free
phone minutes, open tickets) and fills the form in. ``?number=+420…`` (a softphone's or CTI's
caller ID) opens the page with the caller found by the phone number. The call is registered
as a new ticket or onto one of the caller's open tickets.

The caller is identified by a licence number (ESTELAR asks for it on every call) or by the
company's IČO or name and the person's first and last name (InTouch). The agent picks the
language of the call when it is not the customer's own (InTouch serves Czech only). Every part is checked in one
pass, so the agent sees all mistakes together and nothing is stored until all are right.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from podpora.accounts import access
from podpora.billing import services as billing
from podpora.billing.selectors import package_balances, ticket_work
from podpora.catalog.models import Product, Version
from podpora.core.forms import apply_validation_error
from podpora.core.language import NAMES
from podpora.core.text import fold
from podpora.customers.identify import organization_by_name
from podpora.customers.models import ImplementedFunction, Licence, Organization, Vendor
from podpora.customers.scopes import add_scope_field
from podpora.customers.services import functions_in_implementation
from podpora.customers.validators import normalize_ico, validate_ico
from podpora.tickets import services
from podpora.tickets.models import LEVEL_CHOICES, TYPE_CHOICES

from . import lookup_views, phone_fallback
from .views import staff_required

#: How a request the agent registers came: a call, or a fax or letter (Harmonik).
CAME_BY = [("phone", _lazy("telefonem")), ("fax", _lazy("faxem")), ("post", _lazy("poštou"))]


class PhoneForm(forms.Form):
    vendor = forms.ModelChoiceField(label=_lazy("Dodavatel"), queryset=Vendor.objects.all())
    came_by = forms.ChoiceField(
        label=_lazy("Požadavek přišel"), choices=CAME_BY, initial="phone", required=False
    )
    licence_number = forms.CharField(label=_lazy("Licenční číslo"), max_length=40, required=False)
    ico = forms.CharField(label=_lazy("IČO"), max_length=12, required=False)
    company = forms.CharField(label=_lazy("nebo název společnosti"), max_length=200, required=False)
    first_name = forms.CharField(label=_lazy("Jméno volajícího"), max_length=80, required=False)
    last_name = forms.CharField(label=_lazy("Příjmení volajícího"), max_length=80, required=False)
    register_unknown = forms.BooleanField(
        label=_lazy("Volající není v evidenci – zaregistrovat ho (náhradní registrace)"),
        required=False,
    )
    caller_company = forms.CharField(
        label=_lazy("Společnost nového zájemce"), max_length=200, required=False
    )
    caller_email = forms.EmailField(label=_lazy("E-mail volajícího (pro odpověď)"), required=False)
    version = forms.CharField(label=_lazy("Používaná verze"), max_length=40, required=False)
    implemented_function = forms.ModelChoiceField(
        label=_lazy("Implementovaná funkce (zákazník v implementaci)"),
        queryset=ImplementedFunction.objects.none(),
        required=False,
        help_text=_lazy(
            "Zákazníkovi v implementaci slouží telefon jen k funkcím, které se právě implementují."
        ),
    )
    onto = forms.CharField(
        label=_lazy("Zapsat hovor k otevřenému požadavku (číslo)"),
        max_length=24,
        required=False,
        help_text=_lazy("Prázdné = hovor založí nový požadavek."),
    )
    subject = forms.CharField(label=_lazy("Předmět"), max_length=250, required=False)
    body = forms.CharField(
        label=_lazy("Popis požadavku"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    type = forms.ChoiceField(label=_lazy("Typ požadavku"), choices=TYPE_CHOICES, initial="question")
    impact = forms.TypedChoiceField(
        label=_lazy("Dopad"), choices=LEVEL_CHOICES, coerce=int, initial=2
    )
    urgency = forms.TypedChoiceField(
        label=_lazy("Naléhavost"), choices=LEVEL_CHOICES, coerce=int, initial=2
    )
    language = forms.ChoiceField(
        label=_lazy("Jazyk hovoru"),
        choices=[("", _lazy("jazyk zákazníka"))] + [(c, _lazy(n)) for c, n in NAMES.items()],
        required=False,
    )
    duration = forms.IntegerField(
        label=_lazy("Délka hovoru (minuty)"), min_value=1, max_value=600, initial=5
    )
    answer = forms.CharField(
        label=_lazy("Co bylo volajícímu sděleno"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, vendor=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_vendor = vendor
        self.user = user
        if vendor is not None:
            del self.fields["vendor"]
        functions = ImplementedFunction.objects.filter(active=True).select_related("organization")
        if vendor is not None:
            functions = functions.filter(organization__vendor=vendor)
        field = self.fields["implemented_function"]
        field.queryset = functions.order_by("organization__name", "name")
        field.label_from_instance = lambda f: f"{f.organization.name} – {f.name}"
        add_scope_field(self, vendor, "phone")
        self.found: dict = {}

    def clean(self):
        data = super().clean()
        vendor = self.fixed_vendor or data.get("vendor")
        if vendor is None:
            return data
        if (data.get("onto") or "").strip():
            self.found = self._onto(vendor, data["onto"].strip(), data)
            return data
        for name, message in (
            ("subject", _("Uveďte předmět požadavku.")),
            ("body", _("Popište požadavek.")),
        ):
            if not (data.get(name) or "").strip():
                self.add_error(name, message)
        if data.get("register_unknown"):
            self.found = phone_fallback.identify(self, vendor, data)
            return data
        number = (data.get("licence_number") or "").strip()
        ico = normalize_ico(data.get("ico") or "")
        first = (data.get("first_name") or "").strip()
        last = (data.get("last_name") or "").strip()
        company = (data.get("company") or "").strip()
        if not number and not ico and not company:
            self.add_error(
                None,
                _(
                    "Zadejte licenční číslo, nebo IČO či název společnosti a jméno a příjmení "
                    "volajícího."
                ),
            )
            return data
        licence = self._licence(vendor, number) if number else None
        org = self._organization(vendor, ico, licence) if ico else None
        if company and not ico:
            org = self._organization_named(vendor, company, licence)
        org = org or (licence.organization if licence else None)
        if (ico or company) and not number and not (first and last):
            self.add_error("last_name", _("Uveďte jméno i příjmení volajícího."))
        contact = None
        if org is not None and first and last:
            contact = _find_contact(org, first, last)
            if contact is None and not licence:
                self.add_error(
                    "last_name",
                    _("V organizaci %(org)s není kontaktní osoba %(name)s.")
                    % {"org": org.name, "name": f"{first} {last}"},
                )
        if contact is not None and not access.may_file(contact):
            self.add_error(None, access.end_user_refusal(contact))
        function = data.get("implemented_function")
        if function is not None and org is not None and function.organization_id != org.pk:
            self.add_error(
                "implemented_function",
                _("Funkci %(function)s implementuje jiná organizace (%(org)s).")
                % {"function": function.name, "org": function.organization.name},
            )
        version = self._version(vendor, data.get("version") or "", licence, org)
        self.found = {
            "implemented_function": function if org is not None else None,
            "vendor": vendor,
            "licence": licence,
            "organization": org,
            "contact": contact,
            "requester_name": f"{first} {last}".strip(),
            "version": version,
        }
        return data

    def _onto(self, vendor, number: str, data: dict) -> dict:
        """The caller's open ticket the call is recorded on (the caller is known from it)."""
        from podpora.tickets.rules import OPEN_STATES

        ticket = (
            access.visible_tickets(self.user)
            .filter(vendor=vendor, number__iexact=number)
            .select_related("organization", "contact", "vendor")
            .first()
        )
        if ticket is None:
            self.add_error(
                "onto",
                _("Požadavek %(number)s u dodavatele %(vendor)s neexistuje.")
                % {"number": number, "vendor": vendor.name},
            )
        elif ticket.state not in OPEN_STATES:
            self.add_error(
                "onto",
                _("Požadavek %(number)s je už vyřešený nebo uzavřený: založte nový.")
                % {"number": ticket.number},
            )
            ticket = None
        return {"vendor": vendor, "onto": ticket}

    def _licence(self, vendor, number: str):
        licence = (
            Licence.objects.filter(vendor=vendor, number__iexact=number)
            .select_related("organization", "product")
            .first()
        )
        if licence is None:
            self.add_error(
                "licence_number",
                _("Licence %(number)s u dodavatele %(vendor)s neexistuje.")
                % {"number": number, "vendor": vendor.name},
            )
        return licence

    def _organization(self, vendor, ico: str, licence):
        try:
            validate_ico(ico)
        except ValidationError as exc:
            self.add_error("ico", exc)
            return None
        org = Organization.objects.filter(vendor=vendor, ico=ico).first()
        if org is None:
            self.add_error(
                "ico",
                _("Organizace s IČO %(ico)s není zákazníkem dodavatele %(vendor)s.")
                % {"ico": ico, "vendor": vendor.name},
            )
        elif licence is not None and licence.organization_id != org.pk:
            self.add_error(
                "ico",
                _("Licence %(number)s patří jiné organizaci (%(org)s).")
                % {"number": licence.number, "org": licence.organization.name},
            )
        return org

    def _organization_named(self, vendor, name: str, licence):
        rows = Organization.objects.filter(vendor=vendor).values_list("pk", "name")
        pk = organization_by_name(name, rows)
        if pk is None:
            self.add_error(
                "company",
                _("Společnost „%(name)s“ mezi zákazníky dodavatele %(vendor)s není.")
                % {"name": name, "vendor": vendor.name},
            )
            return None
        org = Organization.objects.get(pk=pk)
        if licence is not None and licence.organization_id != org.pk:
            self.add_error(
                "company",
                _("Licence %(number)s patří jiné organizaci (%(org)s).")
                % {"number": licence.number, "org": licence.organization.name},
            )
        return org

    def _version(self, vendor, name: str, licence, org):
        name = name.strip()
        if not name:
            return None
        if licence is not None:
            products = [licence.product]
        elif org is not None and org.licences.exists():
            products = list(Product.objects.filter(licences__organization=org).distinct())
        else:
            products = list(Product.objects.filter(vendor=vendor))
        version = (
            Version.objects.filter(product__in=products, name__iexact=name)
            .select_related("product")
            .first()
        )
        if version is None:
            self.add_error(
                "version",
                _("Verze %(version)s u produktu %(product)s neexistuje.")
                % {"version": name, "product": ", ".join(p.name for p in products) or "–"},
            )
        return version


def _find_contact(org, first: str, last: str):
    """The active contact of that name; agents often type names without diacritics."""
    first, last = fold(first), fold(last)
    for contact in org.contacts.filter(is_active=True).order_by("pk"):
        if fold(contact.first_name) == first and fold(contact.last_name) == last:
            return contact
    return None


@staff_required
def phone(request):
    vendor = request.user.vendor if request.user.vendor_id else None
    found = lookup_views.selection(request, vendor)
    form = PhoneForm(
        request.POST or None, vendor=vendor, user=request.user, initial=found.pop("initial")
    )
    if request.method == "POST" and form.is_valid():
        try:
            ticket = register_call(form.cleaned_data, form.found, request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect(f"{request.path}?ticket={ticket.number}")
    result = None
    if request.method == "GET" and request.GET.get("ticket"):
        result = _result(access.get_ticket(request.user, request.GET["ticket"]))
    return render(request, "desk/phone.html", {"form": form, "result": result, **found})


@transaction.atomic
def register_call(d: dict, found: dict, agent):
    """The ticket (channel phone), the call on it, and the call's time when it is not refused.
    A fax or a letter is registered on its own channel, without a call or its time. A call
    onto an open ticket (``found["onto"]``) is recorded there, with its time."""
    came_by = d.get("came_by") or "phone"
    if found.get("onto") is not None:
        ticket = found["onto"]
        services.record_call(
            ticket,
            d["answer"] or d["body"] or _("Hovor na hotline zaregistrován."),
            actor=agent,
            duration_minutes=d["duration"],
        )
        ticket.refresh_from_db()
        if ticket.entitlement_status != "rejected":
            billing.log_time(ticket, agent, d["duration"], _("Telefonát"), channel="phone")
        return ticket
    contact, org = found["contact"], found["organization"]
    version = found["version"]
    licence = found["licence"]
    extra = phone_fallback.prepare(found) if found.get("fallback") else {}
    contact, org = extra.get("contact", contact), extra.get("organization", org)
    language = (contact.language if contact else org.language) if org else "cs"
    ticket = services.create_ticket(
        services.NewTicket(
            vendor=found["vendor"],
            subject=d["subject"],
            body=d["body"],
            channel=extra.get("channel", came_by),
            requester_email=extra.get("requester_email", ""),
            # a person recorded from a call is unverified until the customer admin confirms
            sender_verified=extra.get("sender_verified", contact is None or contact.confirmed),
            type=d["type"],
            impact=d["impact"],
            urgency=d["urgency"],
            organization=org,
            contact=contact,
            requester_name=found["requester_name"],
            product=version.product if version else (licence.product if licence else None),
            version=version,
            licence=licence,
            implemented_function=found.get("implemented_function"),
            scope=d.get("scope", ""),
            language=language,
            request_language=d.get("language") or language,
        ),
        actor=agent,
    )
    if came_by != "phone":
        return ticket
    services.record_call(
        ticket,
        d["answer"] or _("Hovor na hotline zaregistrován."),
        actor=agent,
        duration_minutes=d["duration"],
    )
    # a question for the collector is answered there, in writing: the call is no paid work
    if ticket.entitlement_status != "rejected" and ticket.channel == "phone":
        billing.log_time(ticket, agent, d["duration"], _("Telefonát"), channel="phone")
    return ticket


def _result(ticket) -> dict:
    charge = billing.charge_for(ticket) if ticket.entitlement_status != "rejected" else None
    org = ticket.organization
    today = timezone.localdate()
    work = ticket_work(ticket, today)
    balances = package_balances(org, today) if org is not None else []
    return {
        "ticket": ticket,
        "functions": sorted(functions_in_implementation(org)),
        "charge": charge,
        "entries": work["entries"],
        "free_calls": work["free_calls"],
        "balances": [
            {"package": p, "left": left, "low": left < p.low_balance_minutes}
            for p, left in balances
        ],
    }
