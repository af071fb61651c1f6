"""Pure rules of a ticket's life: types, channels, states, transitions and the priority matrix.

No Django here: the service layer asks these functions and the tests read them as tables.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class TicketType(StrEnum):
    INCIDENT = "incident"
    PROBLEM = "problem"
    BUG = "bug"
    QUESTION = "question"
    IMPLEMENTATION = "implementation"
    UPGRADE = "upgrade"
    CHANGE = "change"
    SERVICE = "service"


class Channel(StrEnum):
    PORTAL = "portal"
    EMAIL = "email"
    PHONE = "phone"
    WEBFORM = "webform"
    API = "api"
    FAX = "fax"  # registered by an agent (Harmonik: e-mail "also fax, post")
    POST = "post"


class State(StrEnum):
    NEW = "new"
    OPEN = "open"
    WAITING_CUSTOMER = "waiting_customer"
    WAITING_RELEASE = "waiting_release"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"


class Level(IntEnum):
    """Impact and urgency share one scale: 1 is the most severe."""

    HIGH = 1
    MEDIUM = 2
    LOW = 3


class Priority(IntEnum):
    CRITICAL = 1
    HIGH = 2
    MEDIUM = 3
    LOW = 4
    PLANNING = 5


# ITIL's impact × urgency matrix: rows are impact, columns urgency.
PRIORITY_MATRIX: dict[tuple[Level, Level], Priority] = {
    (Level.HIGH, Level.HIGH): Priority.CRITICAL,
    (Level.HIGH, Level.MEDIUM): Priority.HIGH,
    (Level.HIGH, Level.LOW): Priority.MEDIUM,
    (Level.MEDIUM, Level.HIGH): Priority.HIGH,
    (Level.MEDIUM, Level.MEDIUM): Priority.MEDIUM,
    (Level.MEDIUM, Level.LOW): Priority.LOW,
    (Level.LOW, Level.HIGH): Priority.MEDIUM,
    (Level.LOW, Level.MEDIUM): Priority.LOW,
    (Level.LOW, Level.LOW): Priority.PLANNING,
}


class Cause(StrEnum):
    """What caused a fault, as the solver found it ("" while unknown)."""

    UNKNOWN = ""
    SOFTWARE = "software"
    CONFIGURATION = "configuration"
    OPERATION = "operation"
    DATA = "data"
    THIRD_PARTY = "third_party"


def priority_for(
    impact: int, urgency: int, *, cause: str = "", configuration_not_emergency: bool = False
) -> Priority:
    """The matrix's priority; a vendor may say a fault caused by wrong configuration is never
    an emergency (ESTELAR), so such a fault is at most HIGH, whatever its impact and urgency."""
    priority = PRIORITY_MATRIX[(Level(impact), Level(urgency))]
    if (
        configuration_not_emergency
        and cause == Cause.CONFIGURATION
        and priority == Priority.CRITICAL
    ):
        return Priority.HIGH
    return priority


OPEN_STATES = frozenset({State.NEW, State.OPEN, State.WAITING_CUSTOMER, State.WAITING_RELEASE})
DONE_STATES = frozenset({State.RESOLVED, State.CLOSED, State.REJECTED})
# While these hold, the resolution clock stands still (the customer or a release owes us).
PAUSED_STATES = frozenset({State.WAITING_CUSTOMER})

TRANSITIONS: dict[State, frozenset[State]] = {
    State.NEW: frozenset(
        {State.OPEN, State.WAITING_CUSTOMER, State.WAITING_RELEASE, State.RESOLVED, State.REJECTED}
    ),
    State.OPEN: frozenset(
        {State.WAITING_CUSTOMER, State.WAITING_RELEASE, State.RESOLVED, State.REJECTED}
    ),
    State.WAITING_CUSTOMER: frozenset({State.OPEN, State.RESOLVED, State.CLOSED, State.REJECTED}),
    State.WAITING_RELEASE: frozenset({State.OPEN, State.RESOLVED}),
    State.RESOLVED: frozenset({State.OPEN, State.CLOSED}),
    State.CLOSED: frozenset({State.OPEN}),
    State.REJECTED: frozenset({State.OPEN}),
}


def can_transition(current: State | str, target: State | str) -> bool:
    return State(target) in TRANSITIONS[State(current)]


def customer_may_set(current: State | str, target: State | str) -> bool:
    """Customers close their request while it is open or once it is resolved (they need no
    more help), and reopen what was resolved or closed, or what waits for them."""
    current, target = State(current), State(target)
    if target == State.CLOSED:
        return current in OPEN_STATES or current == State.RESOLVED
    if target == State.OPEN:
        return current in {State.RESOLVED, State.CLOSED, State.WAITING_CUSTOMER}
    return False


def withdraws(current: State | str, target: State | str) -> bool:
    """A customer who closes a request that was not resolved withdraws it: nobody answered or
    solved it late, it is simply no longer needed."""
    return State(target) == State.CLOSED and State(current) in OPEN_STATES


def customer_may_change(
    *, is_author: bool, is_customer_admin: bool, same_organization: bool
) -> bool:
    """Who of the customer closes or reopens a request: its author, or a customer admin of
    the request's organisation."""
    return is_author or (is_customer_admin and same_organization)


def state_after_customer_message(current: State | str) -> State:
    """A customer's words put a waiting or resolved ticket back into the agents' hands."""
    current = State(current)
    if current in {State.WAITING_CUSTOMER, State.RESOLVED}:
        return State.OPEN
    return current


def state_after_agent_reply(current: State | str, requested: State | str | None) -> State:
    if requested:
        return State(requested)
    current = State(current)
    return State.OPEN if current == State.NEW else current
