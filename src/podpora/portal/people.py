"""The customer admin's page of the organisation's people: who is an authorised person."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from podpora.accounts import access
from podpora.core.forms import apply_validation_error
from podpora.customers import people
from podpora.customers.models import Contact

LANGUAGES = [("cs", "čeština"), ("sk", "slovenčina"), ("en", "English")]


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_lazy("Jméno"), max_length=80)
    last_name = forms.CharField(label=_lazy("Příjmení"), max_length=80)
    email = forms.EmailField(label=_lazy("E-mail"))
    phone = forms.CharField(label=_lazy("Telefon"), max_length=40, required=False)
    language = forms.ChoiceField(label=_lazy("Jazyk"), choices=LANGUAGES, initial="cs")
    role = forms.ChoiceField(
        label=_lazy("Role"), choices=Contact.Role.choices, initial=Contact.Role.AUTHORISED
    )
    sees_all_tickets = forms.BooleanField(
        label=_lazy("Vidí všechny požadavky organizace"), required=False, initial=True
    )


class ChangeForm(forms.Form):
    role = forms.ChoiceField(label=_lazy("Role"), choices=Contact.Role.choices)
    sees_all_tickets = forms.BooleanField(
        label=_lazy("Vidí všechny požadavky organizace"), required=False
    )
    is_active = forms.BooleanField(label=_lazy("Aktivní"), required=False)


def _admin_or_404(request) -> Contact:
    contact = access.contact_of(request.user)
    if contact is None or contact.role != Contact.Role.CUSTOMER_ADMIN:
        raise Http404("not a customer admin")
    return contact


def _person_or_404(admin: Contact, pk: int) -> Contact:
    person = Contact.objects.filter(organization_id=admin.organization_id, pk=pk).first()
    if person is None:
        raise Http404("no such person")
    return person


@login_required
def people_list(request):
    admin = _admin_or_404(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = people.add_person(admin, people.Person(**form.cleaned_data))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if added.user_id:
                messages.success(
                    request,
                    _("%(name)s je přidán(a); pozvánku jsme poslali na %(email)s.")
                    % {"name": added.full_name, "email": added.email},
                )
            else:
                messages.success(request, _("%(name)s je přidán(a).") % {"name": added.full_name})
            return redirect("people")
    persons = Contact.objects.filter(organization_id=admin.organization_id).select_related("user")
    return render(
        request,
        "portal/people.html",
        {"organization": admin.organization, "persons": persons, "form": form, "me": admin},
    )


@login_required
def person_detail(request, pk):
    admin = _admin_or_404(request)
    person = _person_or_404(admin, pk)
    form = ChangeForm(
        request.POST or None,
        initial={
            "role": person.role,
            "sees_all_tickets": person.sees_all_tickets,
            "is_active": person.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            people.change_person(admin, person, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Uloženo."))
            return redirect("people")
    return render(request, "portal/person.html", {"person": person, "form": form, "me": admin})


@login_required
@require_POST
def person_invite(request, pk):
    admin = _admin_or_404(request)
    person = _person_or_404(admin, pk)
    try:
        people.invite_again(admin, person)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [_("Nelze.")])))
    else:
        messages.success(
            request, _("Pozvánku jsme poslali znovu na %(email)s.") % {"email": person.email}
        )
    return redirect("people")


@login_required
@require_POST
def person_confirm(request, pk):
    """The admin confirms a person the hotline recorded from a call."""
    admin = _admin_or_404(request)
    person = people.confirm_person(admin, _person_or_404(admin, pk))
    if person.user_id:
        messages.success(
            request,
            _("%(name)s je potvrzen(a); pozvánku jsme poslali na %(email)s.")
            % {"name": person.full_name, "email": person.email},
        )
    else:
        messages.success(request, _("%(name)s je potvrzen(a).") % {"name": person.full_name})
    return redirect("people")
