"""The one writer of a customer's people: its customer admin adds, changes and deactivates the
organisation's contacts (who is an authorised person), and invites them to the portal.

Rules: only an active customer admin of the organisation acts; an admin cannot demote or
deactivate themselves, so the organisation always keeps an admin; a deactivated person can no
longer log in, and an end user never gets a portal account.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from podpora.accounts.models import User
from podpora.accounts.services import email_taken
from podpora.core.queue import enqueue

from .models import Contact

Role = Contact.Role
#: the e-mail becomes the user name of the portal account
USERNAME_MAX = User._meta.get_field("username").max_length


@dataclass
class Person:
    first_name: str
    last_name: str
    email: str
    role: str = Role.AUTHORISED
    phone: str = ""
    language: str = "cs"
    sees_all_tickets: bool = True


def _require_admin(admin: Contact | None, organization_id: int | None = None) -> None:
    if (
        admin is None
        or not admin.is_active
        or admin.role != Role.CUSTOMER_ADMIN
        or (organization_id is not None and admin.organization_id != organization_id)
    ):
        raise PermissionDenied


def _invite(contact: Contact) -> None:
    from podpora.mail.tasks import send_invitation

    enqueue(send_invitation, contact.pk)


@transaction.atomic
def add_person(admin: Contact, person: Person) -> Contact:
    """A new contact of the admin's organisation; with a portal account (and an invitation to
    set a password) unless they are an end user."""
    _require_admin(admin)
    email = (person.email or "").strip().lower()
    errors = {}
    if not person.first_name.strip() or not person.last_name.strip():
        errors["last_name"] = [_("Zadejte jméno a příjmení.")]
    if person.role not in Role.values:
        errors["role"] = [_("Neznámá role.")]
    if not email:
        errors["email"] = [_("Zadejte e-mail.")]
    elif Contact.by_email(email).filter(organization=admin.organization).exists():
        errors["email"] = [_("Osoba s tímto e-mailem už v organizaci je.")]
    elif person.role != Role.END_USER and len(email) > USERNAME_MAX:
        errors["email"] = [_("E-mail je pro přihlašovací jméno příliš dlouhý.")]
    elif person.role != Role.END_USER and email_taken(email):
        errors["email"] = [_("S tímto e-mailem už existuje účet jiné osoby.")]
    if errors:
        raise ValidationError(errors)
    user = None
    if person.role != Role.END_USER:
        user = User(
            username=email,
            email=email,
            first_name=person.first_name.strip()[:150],
            last_name=person.last_name.strip()[:150],
            kind=User.Kind.CUSTOMER,
            language=person.language,
        )
        user.set_unusable_password()
        user.save()
    contact = Contact.objects.create(
        organization=admin.organization,
        user=user,
        first_name=person.first_name.strip()[:80],
        last_name=person.last_name.strip()[:80],
        email=email,
        phone=person.phone.strip()[:40],
        language=person.language,
        role=person.role,
        sees_all_tickets=person.sees_all_tickets,
    )
    if user is not None:
        _invite(contact)
    return contact


@transaction.atomic
def change_person(
    admin: Contact, contact: Contact, *, role: str, sees_all_tickets: bool, is_active: bool
) -> Contact:
    _require_admin(admin, contact.organization_id)
    contact = (
        Contact.objects.select_for_update(of=("self",)).select_related("user").get(pk=contact.pk)
    )
    if role not in Role.values:
        raise ValidationError({"role": [_("Neznámá role.")]})
    if contact.pk == admin.pk and (role != Role.CUSTOMER_ADMIN or not is_active):
        raise ValidationError(
            {"role": [_("Svou vlastní roli správce ani svůj účet změnit nemůžete.")]}
        )
    contact.role, contact.sees_all_tickets, contact.is_active = role, sees_all_tickets, is_active
    contact.save(update_fields=["role", "sees_all_tickets", "is_active"])
    user = contact.user
    if user is not None:
        keep = is_active and role != Role.END_USER
        if user.is_active != keep:
            user.is_active = keep
            user.save(update_fields=["is_active"])
    return contact


def invite_again(admin: Contact, contact: Contact) -> None:
    _require_admin(admin, contact.organization_id)
    if contact.user is None or not contact.is_active or contact.role == Role.END_USER:
        raise ValidationError({"email": [_("Tato osoba do portálu nemá přístup.")]})
    _invite(contact)


@transaction.atomic
def set_active_by_staff(contact: Contact, active: bool) -> Contact:
    """Vendor staff (the admin) deactivate or reactivate a person: the portal account follows,
    as when the customer admin does it."""
    contact = (
        Contact.objects.select_for_update(of=("self",)).select_related("user").get(pk=contact.pk)
    )
    if contact.is_active != active:
        contact.is_active = active
        contact.save(update_fields=["is_active"])
    user = contact.user
    if user is not None:
        keep = active and contact.role != Role.END_USER
        if user.is_active != keep:
            user.is_active = keep
            user.save(update_fields=["is_active"])
    return contact
