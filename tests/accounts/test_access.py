"""Who sees what: table-driven over the cast's personas."""

import pytest
from django.http import Http404

from podpora.accounts import access
from tests.conftest import new_ticket


@pytest.fixture
def tickets(cast):
    return {
        "a_by_alena": new_ticket(cast, contact=cast.contact_a),
        "a_by_adam": new_ticket(cast, contact=cast.contact_a2),
        "b": new_ticket(cast, contact=cast.contact_b),
    }


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("agent", {"a_by_alena", "a_by_adam", "b"}),
        ("other_agent", set()),
        ("alena", {"a_by_alena", "a_by_adam"}),
        ("bohous", {"b"}),
        ("eva", set()),  # an end user of the customer gets nothing (HR Plus)
        ("anonymous", set()),
    ],
)
def test_visible_tickets(cast, tickets, persona, visible):
    from django.contrib.auth.models import AnonymousUser

    users = {
        "agent": cast.agent,
        "other_agent": cast.other_agent,
        "alena": cast.contact_a.user,
        "bohous": cast.contact_b.user,
        "eva": cast.end_user_a.user,
        "anonymous": AnonymousUser(),
    }
    seen = set(access.visible_tickets(users[persona]).values_list("number", flat=True))
    assert seen == {tickets[k].number for k in visible}


def test_contact_restricted_to_own_tickets(cast, tickets):
    cast.contact_a2.sees_all_tickets = False
    cast.contact_a2.save()
    seen = set(access.visible_tickets(cast.contact_a2.user).values_list("number", flat=True))
    assert seen == {tickets["a_by_adam"].number}


def test_foreign_ticket_is_404_not_403(cast, tickets):
    with pytest.raises(Http404):
        access.get_ticket(cast.contact_b.user, tickets["a_by_alena"].number)
    with pytest.raises(Http404):
        access.get_ticket(cast.contact_b.user, "AC-99999")


def test_deactivated_contact_sees_nothing(cast, tickets):
    cast.contact_a.is_active = False
    cast.contact_a.save()
    assert not access.visible_tickets(cast.contact_a.user).exists()
