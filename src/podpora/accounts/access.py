"""Who may see what: every view and endpoint loads tickets through these functions.

A customer sees only what their organisation may see; a missing or foreign ticket is a 404,
never a 403, so ticket numbers leak nothing.
"""

from __future__ import annotations

from django.http import Http404

from podpora.tickets.models import Ticket


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.kind == "staff"))


CONFIGURING_ROLES = ("manager", "admin")


def may_configure(user) -> bool:
    """A vendor's support manager or administrator: configures their own vendor (/sprava/).
    The superuser has the operator's /admin/ instead; a staff member of all vendors has no
    vendor to configure."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.kind == "staff"
        and user.role in CONFIGURING_ROLES
        and user.vendor_id
    )


def contact_of(user):
    if not (user and user.is_authenticated):
        return None
    contact = getattr(user, "contact", None)
    if contact is None or not contact.is_active:
        return None
    return contact


def staff_of(user, vendor_id: int) -> bool:
    """A staff member who works for this vendor (or for all vendors, or a superuser)."""
    return is_staff(user) and (user.is_superuser or user.vendor_id in (None, vendor_id))


def contact_at(user, vendor_id: int):
    """The person's active contact when their organisation is this vendor's customer."""
    contact = contact_of(user)
    if contact is None or contact.organization.vendor_id != vendor_id:
        return None
    return contact


def customer_of(user, vendor_id: int):
    """:func:`contact_at`, but only an authorised person or customer admin (not an end user)."""
    contact = contact_at(user, vendor_id)
    return contact if contact is not None and contact.role != "end_user" else None


def visible_tickets(user):
    qs = Ticket.objects.all()
    if not (user and user.is_authenticated):
        return qs.none()
    if is_staff(user):
        if user.is_superuser or user.vendor_id is None:
            return qs
        return qs.filter(vendor_id=user.vendor_id)
    contact = contact_of(user)
    if contact is None or contact.role == "end_user":
        return qs.none()
    qs = qs.filter(organization_id=contact.organization_id)
    if not contact.sees_all_tickets and contact.role != "customer_admin":
        qs = qs.filter(contact=contact)
    return qs


def get_ticket(user, number: str, related: tuple[str, ...] = ()) -> Ticket:
    """The ticket ``number`` if ``user`` may see it (else a 404), with its ``related`` rows
    joined in the same query."""
    tickets = visible_tickets(user)
    if related:
        tickets = tickets.select_related(*related)
    try:
        return tickets.get(number=number)
    except Ticket.DoesNotExist:
        raise Http404("ticket not found")


def may_see_internal(user) -> bool:
    return is_staff(user)


def own_vendor(user):
    """The vendor a person belongs to: a customer's, or a staff member's; None otherwise."""
    contact = contact_of(user)
    if contact is not None:
        return contact.organization.vendor
    if is_staff(user) and user.vendor_id:
        return user.vendor
    return None


def may_file(contact, on=None) -> bool:
    """May this person file requests? Only authorised persons and customer admins, unless a
    valid contract's plan serves end users too (HR Plus: "přístup koncových uživatelů
    zákazníka" is not covered). The same answer on every channel: portal, e-mail, API, phone.
    """
    if contact is None or contact.role != "end_user":
        return True
    from django.utils import timezone

    from podpora.customers.services import valid_contracts

    contracts = valid_contracts(contact.organization, on or timezone.localdate())
    return any(c.plan.serves_end_users for c in contracts)


def authorised_people(organization) -> list:
    """Whom an end user asks: the organisation's active customer admins and authorised
    persons, admins first."""
    from podpora.customers.models import Contact

    people = organization.contacts.filter(
        is_active=True, role__in=[Contact.Role.CUSTOMER_ADMIN, Contact.Role.AUTHORISED]
    )
    return sorted(people, key=lambda c: (c.role != Contact.Role.CUSTOMER_ADMIN, c.last_name))


def end_user_refusal(contact) -> str:
    """What an end user (or the agent taking their call) is told: whom to ask instead."""
    from django.utils.translation import gettext as _

    names = ", ".join(p.full_name for p in authorised_people(contact.organization))
    text = _(
        "%(name)s je koncový uživatel organizace %(org)s; požadavky zadávají jen její "
        "oprávněné osoby."
    ) % {"name": contact.full_name, "org": contact.organization.name}
    if names:
        text += " " + _("Obraťte se prosím na: %(names)s.") % {"names": names}
    return text
