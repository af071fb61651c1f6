"""SLA targets and policies come from the per-process configuration cache."""

from __future__ import annotations

from podpora.sla.models import SlaPolicy, SlaTarget
from tests.conftest import new_ticket


def test_a_target_changed_later_applies_to_the_next_ticket(cast):
    first = new_ticket(cast)
    target = SlaTarget.objects.get(policy=cast.policy, priority=first.priority)
    assert first.first_response_target == target.first_response
    SlaTarget.objects.filter(pk=target.pk).update(first_response="15m")
    assert new_ticket(cast).first_response_target == "15m"
    target.delete()
    assert new_ticket(cast).first_response_target == ""


def test_a_policy_given_to_the_contract_later_applies_to_the_next_ticket(cast):
    assert new_ticket(cast).sla_policy == cast.policy
    gold = SlaPolicy.objects.create(vendor=cast.vendor, name="Gold", calendar=cast.calendar)
    for prio in range(1, 6):
        SlaTarget.objects.create(policy=gold, priority=prio, first_response="30m")
    cast.org_a.contracts.update(sla_policy=gold)
    ticket = new_ticket(cast)
    assert (ticket.sla_policy, ticket.first_response_target) == (gold, "30m")
