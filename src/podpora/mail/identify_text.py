"""What an e-mail says of its writer and program, for vendors that ask for it (InTouch).

InTouch's page: the user "je povinen ... uvést v e-mailu své identifikační údaje" (the
company's IČO or name, and their first and last name) and the version of the program they
use. So a message from an address we do not know is matched by its text: the organisation by
a valid IČO or its name, the person by their full name (the display name of the sender counts
too); and the version is read from the text ("Používáme verzi 10.0"). The pure rules are in
``customers.identify`` and ``catalog.version_text``; this module feeds them rows.

Only for vendors one of whose plans asks for identification or the version, so other vendors'
mail costs nothing more. The sender stays unverified (the console says so), and our answers go
to the person's address on record, never to an address only the message gave.
"""

from __future__ import annotations

from podpora.catalog.models import Version
from podpora.catalog.version_text import find_version
from podpora.customers import identify
from podpora.customers.models import Contact, Organization
from podpora.customers.services import vendor_asks

from .threading import Sender


def sender_from_text(vendor, sender: Sender, text: str) -> Sender:
    """``sender`` completed from what ``text`` says: the organisation when the address did not
    tell it, and the person of that organisation whose full name it names."""
    if sender.contact is not None or not vendor_asks(vendor).identification:
        return sender
    org = sender.organization
    if org is None:
        rows = list(Organization.objects.filter(vendor=vendor).values_list("pk", "name", "ico"))
        pk = identify.organization_in_text(text, rows)
        if pk is None:
            return sender
        org = Organization.objects.get(pk=pk)
    people = Contact.objects.filter(organization=org, is_active=True)
    by_pk = {c.pk: c for c in people}
    pk = identify.person_in_text(text, [(c.pk, c.first_name, c.last_name) for c in by_pk.values()])
    contact = by_pk.get(pk) if pk is not None else None
    language = (contact.language if contact else org.language) or "cs"
    return Sender(sender.address, contact, org, False, language)


def version_from_text(vendor, product, text: str):
    """The vendor's version (of ``product`` when the mailbox names one) the text names."""
    if not vendor_asks(vendor).version:
        return None
    versions = Version.objects.filter(product__vendor=vendor).select_related("product")
    if product is not None:
        versions = versions.filter(product=product)
    by_name: dict[str, Version] = {}
    for version in versions.order_by("-released_on"):
        by_name.setdefault(version.name, version)
    name = find_version(text, by_name)
    return by_name.get(name) if name else None
