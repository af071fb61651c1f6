import pytest

from podpora.tickets import rules
from podpora.tickets.rules import Priority, State

H, M, L = 1, 2, 3


@pytest.mark.parametrize(
    ("impact", "urgency", "expected"),
    [
        (H, H, Priority.CRITICAL),
        (H, M, Priority.HIGH),
        (M, H, Priority.HIGH),
        (H, L, Priority.MEDIUM),
        (M, M, Priority.MEDIUM),
        (L, H, Priority.MEDIUM),
        (M, L, Priority.LOW),
        (L, M, Priority.LOW),
        (L, L, Priority.PLANNING),
    ],
)
def test_priority_matrix(impact, urgency, expected):
    assert rules.priority_for(impact, urgency) == expected


@pytest.mark.parametrize("bad", [(0, 1), (1, 4), (5, 5)])
def test_priority_rejects_levels_outside_scale(bad):
    with pytest.raises(ValueError):
        rules.priority_for(*bad)


def test_priority_is_symmetric_and_monotonic():
    for i in (H, M, L):
        for u in (H, M, L):
            assert rules.priority_for(i, u) == rules.priority_for(u, i)
            if i < L:
                assert rules.priority_for(i, u) <= rules.priority_for(i + 1, u)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (State.NEW, State.OPEN, True),
        (State.NEW, State.CLOSED, False),
        (State.OPEN, State.WAITING_CUSTOMER, True),
        (State.OPEN, State.RESOLVED, True),
        (State.OPEN, State.NEW, False),
        (State.WAITING_CUSTOMER, State.OPEN, True),
        (State.WAITING_RELEASE, State.RESOLVED, True),
        (State.WAITING_RELEASE, State.CLOSED, False),
        (State.RESOLVED, State.CLOSED, True),
        (State.RESOLVED, State.OPEN, True),
        (State.CLOSED, State.OPEN, True),
        (State.CLOSED, State.RESOLVED, False),
        (State.REJECTED, State.OPEN, True),
    ],
)
def test_transitions(current, target, allowed):
    assert rules.can_transition(current, target) is allowed


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (State.RESOLVED, State.CLOSED, True),
        (State.RESOLVED, State.OPEN, True),
        (State.OPEN, State.CLOSED, True),  # the customer needs no more help
        (State.REJECTED, State.CLOSED, False),
        (State.CLOSED, State.OPEN, True),
        (State.OPEN, State.RESOLVED, False),
        (State.NEW, State.REJECTED, False),
        (State.WAITING_CUSTOMER, State.OPEN, True),
    ],
)
def test_customer_may_only_close_or_reopen(current, target, allowed):
    assert rules.customer_may_set(current, target) is allowed


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (State.NEW, State.NEW),
        (State.OPEN, State.OPEN),
        (State.WAITING_CUSTOMER, State.OPEN),
        (State.RESOLVED, State.OPEN),
        (State.WAITING_RELEASE, State.WAITING_RELEASE),
    ],
)
def test_customer_message_hands_ticket_back(current, expected):
    assert rules.state_after_customer_message(current) == expected


def test_agent_reply_opens_new_ticket_and_keeps_others():
    assert rules.state_after_agent_reply(State.NEW, None) == State.OPEN
    assert rules.state_after_agent_reply(State.WAITING_RELEASE, None) == State.WAITING_RELEASE
    assert rules.state_after_agent_reply(State.OPEN, "resolved") == State.RESOLVED


def test_every_state_has_transitions_and_paused_states_are_open():
    assert set(rules.TRANSITIONS) == set(State)
    assert rules.PAUSED_STATES <= rules.OPEN_STATES
    assert not (rules.OPEN_STATES & rules.DONE_STATES)
