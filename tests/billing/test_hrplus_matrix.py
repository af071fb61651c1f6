"""HR Plus's access by customer state ("Přístup k Centru podpory"), channel by channel.

- in implementation: online support and the phone, for the functions being implemented
  (recorded, named by the request on every channel);
- valid contract: online support, the phone by the SLA level;
- one-time order: online through the collector, the phone from a prepaid package;
- prospect: online through the collector only;
- and the customer's end users: no access on any channel.
"""

from __future__ import annotations

import pytest

from .conftest import file_ticket

PREPAID = "prepaid"
IMPLEMENTED, OTHER = "Mzdy", "Školení"

# state (who), channel, function named on the call, status, reason
MATRIX = [
    ("implementation", "portal", IMPLEMENTED, "covered", "covered"),
    ("implementation", "portal", None, "rejected", "function_not_in_implementation"),
    ("implementation", "portal", OTHER, "rejected", "function_not_in_implementation"),
    ("implementation", "email", IMPLEMENTED, "covered", "covered"),
    ("implementation", "email", None, "rejected", "function_not_in_implementation"),
    ("implementation", "api", IMPLEMENTED, "covered", "covered"),
    ("implementation", "api", OTHER, "rejected", "function_not_in_implementation"),
    ("implementation", "phone", IMPLEMENTED, "covered", "covered"),
    ("implementation", "phone", None, "rejected", "function_not_in_implementation"),
    ("implementation", "phone", OTHER, "rejected", "function_not_in_implementation"),
    ("contract", "portal", None, "covered", "covered"),
    ("contract", "email", None, "covered", "covered"),
    ("contract", "phone", None, "covered", "covered"),
    ("one_time", "webform", None, "covered", "covered"),
    ("one_time", "phone", None, "billable", "channel_billable"),
    ("one_time", "portal", None, "rejected", "channel_not_in_plan"),
    ("one_time", "email", None, "rejected", "channel_not_in_plan"),
    ("prospect", "webform", None, "covered", "public_question"),
    ("prospect", "portal", None, "rejected", "public_form_only"),
    ("prospect", "email", None, "rejected", "public_form_only"),
    ("prospect", "phone", None, "rejected", "public_form_only"),
    ("end_user", "portal", None, "rejected", "not_authorised"),
    ("end_user", "email", None, "rejected", "not_authorised"),
    ("end_user", "phone", None, "rejected", "not_authorised"),
]
WHO = {
    "implementation": "hrplus-svoboda",
    "contract": "hrplus-novak",
    "one_time": "hrplus-horak",
    "end_user": "hrplus-uzivatel",
}


@pytest.mark.parametrize("state,channel,function,status,reason", MATRIX)
def test_access_by_customer_state(seed, state, channel, function, status, reason):
    from podpora.customers.models import ImplementedFunction, Organization

    vendor = seed("hrplus")
    extra = {}
    if state == "prospect":
        extra["organization"] = Organization.objects.get(vendor=vendor, stage="prospect")
        extra["requester_email"] = "info@logistika.example"
    if function is not None:
        svoboda_org = Organization.objects.get(vendor=vendor, stage="implementation")
        found, _ = ImplementedFunction.objects.get_or_create(
            organization=svoboda_org, name=function, defaults={"active": function == IMPLEMENTED}
        )
        extra["implemented_function"] = found
    ticket = file_ticket(vendor, WHO.get(state), channel=channel, **extra)
    assert (ticket.entitlement_status, ticket.entitlement_reason) == (status, reason), (
        ticket.entitlement_detail
    )
    if reason == "function_not_in_implementation":
        assert "Docházka, Mzdy" in ticket.entitlement_detail
