"""First registration with the code from the licence card (ESTELAR), and the licence page.

The code is one-time: it creates the user and the authorised contact of the licence's
organisation, then the customer logs in with the e-mail and password. A wrong number or code
is refused without saying which was wrong; attempts are limited per address and per licence.
"""

from __future__ import annotations

import hashlib
import hmac

from django import forms
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from podpora.accounts import access
from podpora.accounts.models import User
from podpora.accounts.services import email_taken
from podpora.core import clientip, ratelimit
from podpora.customers import cards
from podpora.customers import entitlements as ent
from podpora.customers import services as customer_services
from podpora.customers.models import Contact, Licence

#: attempts per client address and per licence number within WINDOW seconds
LIMIT_PER_ADDRESS = 10
LIMIT_PER_LICENCE = 5
WINDOW = 3600


class RegistrationForm(forms.Form):
    licence_number = forms.CharField(label=_lazy("Licenční číslo"), max_length=40)
    code = forms.CharField(
        label=_lazy("Kód z licenční kartičky"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    first_name = forms.CharField(label=_lazy("Jméno"), max_length=80)
    last_name = forms.CharField(label=_lazy("Příjmení"), max_length=80)
    email = forms.EmailField(label=_lazy("E-mail (bude vaším přihlašovacím jménem)"))
    password = forms.CharField(
        label=_lazy("Heslo"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_lazy("Heslo znovu"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if len(email) > 150:
            raise ValidationError(_("E-mail je pro přihlašovací jméno příliš dlouhý."))
        if email_taken(email):
            raise ValidationError(_("Účet s tímto e-mailem už existuje; přihlaste se."))
        return email

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password and password != data.get("password2"):
            self.add_error("password2", _("Hesla se neshodují."))
        elif password:
            probe = User(
                username=data.get("email", ""),
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                validate_password(password, probe)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


def _hit(key: str, limit: int) -> bool:
    return ratelimit.hit(key, limit, WINDOW)


def _throttled(request, number: str) -> bool:
    address = clientip.of(request)
    by_address = _hit(f"register:ip:{address}", LIMIT_PER_ADDRESS)
    licence_key = hashlib.sha256(number.strip().upper().encode()).hexdigest()[:32]
    by_licence = _hit(f"register:licence:{licence_key}", LIMIT_PER_LICENCE)
    return by_address or by_licence


class Refused(Exception):
    pass


@transaction.atomic
def register_with_code(d: dict) -> User:
    """Create the customer's user and authorised contact; the code works once."""
    wrong = _("Licenční číslo nebo kód z kartičky nejsou správné.")
    wanted = cards.code_hash(d["code"])
    candidates = Licence.objects.select_for_update().filter(
        number__iexact=d["licence_number"].strip()
    )
    licence = next(
        (
            lic
            for lic in candidates
            if lic.activation_code_hash and hmac.compare_digest(lic.activation_code_hash, wanted)
        ),
        None,
    )
    if licence is None:
        raise Refused(wrong)
    if licence.activation_code_used_at is not None:
        raise Refused(
            _("Kód z této kartičky už byl použit. Přihlaste se e-mailem a heslem z registrace.")
        )
    org = licence.organization
    user = User.objects.create_user(
        username=d["email"],
        email=d["email"],
        password=d["password"],
        first_name=d["first_name"].strip(),
        last_name=d["last_name"].strip(),
        kind=User.Kind.CUSTOMER,
        language=org.language,
    )
    Contact.objects.create(
        organization=org,
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        language=org.language,
        role=Contact.Role.AUTHORISED,
    )
    licence.activation_code_used_at = timezone.now()
    licence.save(update_fields=["activation_code_used_at"])
    return user


def register(request):
    if request.user.is_authenticated:
        return redirect("licences")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        number = request.POST.get("licence_number", "")
        if _throttled(request, number):
            form.is_valid()
            form.add_error(None, _("Příliš mnoho pokusů. Zkuste to prosím za hodinu."))
        elif form.is_valid():
            try:
                user = register_with_code(form.cleaned_data)
            except Refused as exc:
                form.add_error(None, str(exc))
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("licences")
    return render(request, "portal/register.html", {"form": form})


def licence_rows(organization, today) -> list[dict]:
    """Each licence of the organisation with START's end and the plan that serves it today."""
    vendor = organization.vendor
    contracts = list(customer_services.contracts_valid_on(organization, today))
    rows = []
    for licence in organization.licences.select_related("product").order_by("number"):
        facts = customer_services.licence_facts(licence)
        end = ent.start_end(facts)
        start_running = (
            vendor.start_plan_id is not None
            and licence.activated_on is not None
            and end is not None
            and licence.activated_on <= today <= end
        )
        if contracts:
            plan = ", ".join(c.plan.name for c in contracts)
        elif start_running:
            plan = vendor.start_plan.name
        elif vendor.warranty_plan_id and licence.activated_on and licence.activated_on <= today:
            plan = vendor.warranty_plan.name
        else:
            plan = ""
        rows.append(
            {
                "licence": licence,
                "start_end": end if vendor.start_plan_id else None,
                "start_running": start_running,
                "start_days_left": (end - today).days if start_running else None,
                "plan": plan,
            }
        )
    return rows


@login_required
def licences(request):
    contact = access.contact_of(request.user)
    if contact is None or contact.role == Contact.Role.END_USER:
        return redirect("portal:list")
    org = contact.organization
    rows = licence_rows(org, timezone.localdate())
    has_start = any(row["start_end"] for row in rows)
    return render(
        request,
        "portal/licences.html",
        {"organization": org, "rows": rows, "has_start": has_start},
    )
