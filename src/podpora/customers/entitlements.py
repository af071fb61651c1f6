"""Entitlement: is a customer's request covered, billable or rejected, and why.

Pure (stdlib only) so the five seed vendors' rules can be tested without a database. The Django
layer builds these dataclasses from rows and translates ``REASONS`` with gettext; this module
returns reason codes, English msgids and string parameters, never translated text.

Decision order -- the first rule that applies decides:

1. An end user of the customer is refused unless a valid contract's plan serves end users
   (HR Plus: "přístup koncových uživatelů zákazníka" is not covered) -> ``not_authorised``.
2. A prospect or anonymous sender gets only the public question form: the web form of the
   vendor's public plan or of a valid prospect plan, answered as a question -> ``public_question``
   (or ``language``); any other channel -> ``public_form_only`` (``no_contract`` if no form;
   ``not_identified`` for an anonymous request at a customer whose plan asks to identify).
3. Candidates are the contracts valid on the date, then HOTLINE START and the warranty derived
   from the licence, then the public plan when the channel is the web form. With no valid
   contract, only the web form still works (anyone may ask through it); otherwise
   ``contract_expired`` / ``contract_not_started`` / ``no_contract``. On the phone, START and
   the warranty count only when the caller gave the licence number (``licence_stated``); a
   licence known only from the organisation that would have served -> ``licence_required``.
4. Each candidate walks the plan rules (a-i). The most helpful outcome wins: covered >
   billable (prepaid package > plan rate > price list) > rejected, and among rejections the one
   that got furthest down the rules (the most specific reason). Ties go to the earlier
   candidate, so callers list contracts in order of preference.

   a. end user and the plan does not serve end users       -> ``not_authorised``
   b. language not served by the plan                       -> ``language``
   c. identification required but missing                  -> ``not_identified``;
      the version required but not stated                   -> ``version_not_stated``
   d. the version's support ended and the plan requires supported versions
                                                            -> ``unsupported_version``
   e. in implementation, a request (portal, e-mail, phone, API; the web form answers
      anyone's questions) about a function not being implemented (when the functions are
      recorded)                                             -> ``function_not_in_implementation``;
      scope excluded                                        -> ``out_of_scope``
   f. scope billable (always for money)                     -> ``scope_billable``
   g. channel not in the plan: a billable channel is paid from the prepaid package, then at a
      rate as ``billing_mode`` allows -> ``channel_billable`` (``prepaid_exhausted`` when only
      the package could pay); otherwise                     -> ``channel_not_in_plan``
   h. ticket type not covered: paid as ``billing_mode`` allows -> ``type_billable`` (a warranty
      plan says ``warranty_only``); otherwise               -> ``type_not_covered``
   i. otherwise                                             -> ``covered``
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

# fmt: off
CHANNELS = ("portal", "email", "phone", "webform", "api", "remote", "fax", "post")
#: Kinds of work the seed pages name as outside support (refused or sold separately).
SCOPES = ("training", "third_party", "programming", "onsite", "operations", "data_export",
          "installation", "consulting", "analysis", "global_configuration", "user_data",
          "system_login")
TICKET_TYPES = ("incident", "problem", "bug", "question", "implementation", "upgrade", "change",
                "service")
REQUESTERS = ("authorised", "customer_admin", "end_user", "prospect", "anonymous")
PLAN_KINDS = ("implementation", "maintenance", "one_time", "start", "warranty", "prospect",
              "basic")
# fmt: on
BILLING_MODES = ("none", "prepaid", "price_list", "prepaid_then_price_list")
PREPAID_MODES = frozenset({"prepaid", "prepaid_then_price_list"})  # draw on prepaid packages
SOURCES = ("contract", "prepaid", "price_list")
#: HOTLINE START runs this many months from licence activation (ESTELAR).
START_MONTHS = 6


class Status(StrEnum):
    COVERED = "covered"
    BILLABLE = "billable"
    REJECTED = "rejected"


#: Every reason code -> English msgid; ``{placeholders}`` are always present in ``params``.
def gettext_noop(message: str) -> str:
    """Marks a msgid for extraction (makemessages) without importing Django."""
    return message


REASONS: dict[str, str] = {
    "covered": gettext_noop("Covered by {plan}."),
    "public_question": gettext_noop(
        "Answered as a question through the public form; the reply goes to the e-mail address given."
    ),
    "not_authorised": gettext_noop(
        "Only authorised persons of the customer are served, not its end users."
    ),
    "public_form_only": gettext_noop(
        "Without a support contract only the public question form is open."
    ),
    "no_contract": gettext_noop("There is no valid support contract."),
    "licence_required": gettext_noop(
        "On the phone the licence number must always be given, so that the validity of the service can be checked."
    ),
    "contract_expired": gettext_noop("The support contract ended on {valid_to}."),
    "contract_not_started": gettext_noop("The support contract starts on {valid_from}."),
    "language": gettext_noop("Support under {plan} is given only in: {languages}."),
    "not_identified": gettext_noop(
        "The licensee and the person asking must identify themselves (licence number, or company ID or name and full name)."
    ),
    "version_not_stated": gettext_noop("The version of the program in use must be stated."),
    "unsupported_version": gettext_noop("Support for this version ended on {supported_until}."),
    "function_not_in_implementation": gettext_noop(
        "Under {plan} support serves only the functions being implemented: {functions}."
    ),
    "out_of_scope": gettext_noop("Requests of the kind “{scope}” are not part of {plan}."),
    "scope_billable": gettext_noop(
        "Requests of the kind “{scope}” are not part of {plan}; they are paid work."
    ),
    "channel_billable": gettext_noop(
        "The {channel} channel is not included in {plan}; it is paid."
    ),
    "prepaid_exhausted": gettext_noop(
        "No prepaid service time is left for this request under {plan}."
    ),
    "channel_not_in_plan": gettext_noop("The {channel} channel is not included in {plan}."),
    "type_billable": gettext_noop(
        "Requests of type “{ticket_type}” are not covered by {plan}; they are paid."
    ),
    "warranty_only": gettext_noop(
        "Only warranty service applies; this request is a paid service intervention at the price list."
    ),
    "type_not_covered": gettext_noop("Requests of type “{ticket_type}” are not covered by {plan}."),
}


_SET_FIELDS = ("channels", "billable_channels", "covered_types", "excluded_scopes",
               "billable_scopes", "languages")  # fmt: skip


def _check(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {allowed}")


_SCOPE_CODE = re.compile(r"[a-z][a-z0-9_]{0,29}")
#: What a vendor's scope item says of a request of its kind on a channel.
SCOPE_OUTCOMES = ("rejected", "billable")


def _check_scope(value: str) -> None:
    """Vendors name their own kinds of request (``SCOPES`` are the seed pages' ones)."""
    if not isinstance(value, str) or not _SCOPE_CODE.fullmatch(value):
        raise ValueError(f"unknown scope {value!r}; expected a code of a-z, 0-9 and _")


@dataclass(frozen=True)
class PlanTerms:
    """What a kind of contract opens. Sets are stored as frozensets (lists are accepted too)."""

    code: str  #: shown in messages as {plan}, e.g. "HOTLINE START"
    kind: str  #: one of PLAN_KINDS; "warranty" bills uncovered types as warranty_only
    channels: AbstractSet[str] = frozenset()  #: channels covered by the plan
    billable_channels: AbstractSet[str] = frozenset()  #: open but paid (HR Plus one-time: phone)
    covered_types: AbstractSet[str] = frozenset()  #: ticket types covered; empty = all
    excluded_scopes: AbstractSet[str] = frozenset()  #: scopes refused
    billable_scopes: AbstractSet[str] = frozenset()  #: scopes done for money (InTouch: onsite)
    languages: AbstractSet[str] = frozenset()  #: served languages (ISO 639-1); empty = any
    require_supported_version: bool = True  #: refuse versions past their support end
    require_identification: bool = False  #: licensee and person must identify themselves
    require_version_stated: bool = False  #: the version in use must be stated (InTouch)
    serves_end_users: bool = False  #: any user of the customer, not only authorised persons
    billing_mode: str = "none"  #: how paid work is charged; one of BILLING_MODES
    hourly_rate: Decimal | None = None  #: the plan's own rate; None = the price list's

    def __post_init__(self) -> None:
        for name in _SET_FIELDS:
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        _check(self.kind, PLAN_KINDS, "plan kind")
        _check(self.billing_mode, BILLING_MODES, "billing mode")
        for channel in self.channels | self.billable_channels:
            _check(channel, CHANNELS, "channel")
        for ticket_type in self.covered_types:
            _check(ticket_type, TICKET_TYPES, "ticket type")
        for scope in self.excluded_scopes | self.billable_scopes:
            _check_scope(scope)


@dataclass(frozen=True)
class ContractFacts:
    """A customer's contract: a plan over an inclusive date range."""

    id: int | None  #: the Contract row; None for a contract derived here (START, warranty)
    plan: PlanTerms
    valid_from: date  #: first day covered
    valid_to: date | None  #: last day covered (inclusive); None = open-ended

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class LicenceFacts:
    """A licence, for the support it brings by itself (ESTELAR's START and warranty)."""

    number: str  #: licence number, given on the phone to ESTELAR
    activation_date: date | None  #: None = not activated yet: no START
    max_version_date: date | None  #: "Max datum verze": START's last day when set


@dataclass(frozen=True)
class RequestFacts:
    """One customer request as the entitlement rules need to see it."""

    on: date  #: the day the request was received
    channel: str  #: one of CHANNELS
    ticket_type: str  #: one of TICKET_TYPES
    scope: str | None  #: one of SCOPES when the request is of such a kind, else None
    language: str  #: language of the request, ISO 639-1 ("cs"; "cs-CZ" is read as "cs")
    requester: str  #: one of REQUESTERS; "customer_admin" counts as authorised
    identified: bool  #: logged in, or gave what the vendor asks (licence no.; IČO + name)
    version_stated: bool  #: the requester said which version they use
    version_supported_until: date | None  #: support end of that version; None = unknown
    prepaid_minutes_left: int | None  #: the customer's prepaid package; None = no package
    #: the vendor's scope item for ``scope`` on this channel: "rejected", "billable" or None
    #: (covered); a plan's own excluded/billable scopes come first
    scope_outcome: str | None = None
    #: the licence number was given (on the ticket); False: the licence was found from the
    #: organisation, which on the phone does not verify the support it brings (ESTELAR)
    licence_stated: bool = True
    #: what the request is about, of the functions the customer is implementing (HR Plus)
    function: str | None = None
    #: the functions being implemented; empty = none recorded, not checked
    functions_in_implementation: AbstractSet[str] = frozenset()
    #: the vendor asks every requester to identify themselves (a plan of its requires it), so
    #: a sender nobody recognises is asked who they are, not told there is no contract (InTouch)
    identification_asked: bool = False

    def __post_init__(self) -> None:
        _check(self.channel, CHANNELS, "channel")
        _check(self.ticket_type, TICKET_TYPES, "ticket type")
        _check(self.requester, REQUESTERS, "requester")
        if self.scope is not None:
            _check_scope(self.scope)
        if self.scope_outcome is not None:
            _check(self.scope_outcome, SCOPE_OUTCOMES, "scope outcome")


@dataclass(frozen=True)
class Entitlement:
    """The answer: status, why (code, msgid, parameters), and who pays at what rate."""

    status: Status
    reason: str  #: a key of REASONS
    message: str  #: REASONS[reason], to translate and then .format(**params)
    params: Mapping[str, str] = field(default_factory=dict, hash=False)  #: values, as text
    contract_id: int | None = None  #: the deciding Contract row, if it is one
    plan: str | None = None  #: code of the deciding plan; always set when covered
    rate: Decimal | None = None  #: hourly rate when billed by money; None otherwise/unknown
    source: str | None = None  #: one of SOURCES, or None when rejected

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape the API shows as a ticket's ``entitlement``."""
        return {
            "status": self.status.value,
            "reason": self.reason,
            "params": dict(self.params),
            "contract_id": self.contract_id,
            "plan": self.plan,
            "rate": None if self.rate is None else str(self.rate),
            "source": self.source,
        }


def _result(
    status: Status,
    reason: str,
    contract: ContractFacts | None = None,
    **params: str,
) -> Entitlement:
    """An outcome without billing (covered ones are paid by the contract)."""
    if contract is not None:
        params = {"plan": contract.plan.code, **params}
    return Entitlement(
        status=status,
        reason=reason,
        message=REASONS[reason],
        params=params,
        contract_id=None if contract is None else contract.id,
        plan=None if contract is None else contract.plan.code,
        source="contract" if status is Status.COVERED else None,
    )


def add_months(day: date, months: int) -> date:
    """Same day number ``months`` later, or that month's last day (Czech civil code §607)."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    if not date.min.year <= year <= date.max.year:
        return date.max if months > 0 else date.min
    last_day = 31 if month0 == 11 else (date(year, month0 + 2, 1) - timedelta(days=1)).day
    return date(year, month0 + 1, min(day.day, last_day))


def start_end(licence: LicenceFacts, months: int = START_MONTHS) -> date | None:
    """START's last day: the max version date when set, else ``months`` after activation."""
    if licence.activation_date is None:
        return None
    if licence.max_version_date is not None:
        return licence.max_version_date
    return add_months(licence.activation_date, months)


def start_contract(
    licence: LicenceFacts, start_plan: PlanTerms, months: int = START_MONTHS
) -> ContractFacts | None:
    """HOTLINE START, granted by the licence itself: no Contract row, so ``id`` is None."""
    end = start_end(licence, months)
    if licence.activation_date is None or end is None or end < licence.activation_date:
        return None
    return ContractFacts(None, start_plan, licence.activation_date, end)


def start_ending(
    licence: LicenceFacts, today: date, warn_days: int = 30, months: int = START_MONTHS
) -> bool:
    """True within ``warn_days`` before START's last day: time to send the HOTLINE proforma."""
    end = start_end(licence, months)
    return end is not None and 0 <= (end - today).days <= warn_days


def _lang(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()


def _opens_form(plan: PlanTerms) -> bool:
    return "webform" in plan.channels or plan.kind == "prospect"


def _public(request: RequestFacts, contract: ContractFacts) -> tuple[int, Entitlement]:
    """The public question form: any type is taken as a question; the language counts, and a
    kind of request the vendor's support does not cover is refused."""
    plan = contract.plan
    if plan.languages and _lang(request.language) not in plan.languages:
        languages = ", ".join(sorted(plan.languages))
        return 1, _result(Status.REJECTED, "language", contract, languages=languages)
    refused = request.scope in plan.excluded_scopes or request.scope_outcome == "rejected"
    if request.scope is not None and refused:
        return 5, _result(Status.REJECTED, "out_of_scope", contract, scope=request.scope)
    return 9, _result(Status.COVERED, "public_question", contract)


def _charge(
    plan: PlanTerms, request: RequestFacts, price_list_rate: Decimal | None, *, listed: bool
) -> tuple[str, Decimal | None] | None:
    """(source, rate) paying for work outside the plan, or None when the plan cannot bill it.

    ``listed`` work (a billable channel or scope) is paid even under billing mode "none".
    """
    mode = plan.billing_mode
    if mode in PREPAID_MODES and (request.prepaid_minutes_left or 0) > 0:
        return "prepaid", None
    if mode in ("price_list", "prepaid_then_price_list") or (listed and mode == "none"):
        if plan.hourly_rate is not None:
            return "contract", plan.hourly_rate
        return "price_list", price_list_rate
    return None


def _walk(
    request: RequestFacts, contract: ContractFacts, price_list_rate: Decimal | None
) -> tuple[int, Entitlement]:
    """Rules a-i for one contract; returns (how far down the rules it got, outcome)."""
    plan = contract.plan
    no = Status.REJECTED

    def paid(
        depth: int, reason: str, fallback: str, listed: bool, **params: str
    ) -> tuple[int, Entitlement]:
        charge = _charge(plan, request, price_list_rate, listed=listed)
        if charge is None:
            why = "prepaid_exhausted" if plan.billing_mode == "prepaid" else fallback
            return depth, _result(no, why, contract, **params)
        source, rate = charge
        billed = _result(Status.BILLABLE, reason, contract, **params)
        return depth, dataclasses.replace(billed, rate=rate, source=source)

    if request.requester == "end_user" and not plan.serves_end_users:
        return 0, _result(no, "not_authorised", contract)
    if plan.languages and _lang(request.language) not in plan.languages:
        return 1, _result(no, "language", contract, languages=", ".join(sorted(plan.languages)))
    if plan.require_identification and not request.identified:
        return 2, _result(no, "not_identified", contract)
    if plan.require_version_stated and not request.version_stated:
        return 3, _result(no, "version_not_stated", contract)
    until = request.version_supported_until
    if plan.require_supported_version and until is not None and until < request.on:
        return 4, _result(no, "unsupported_version", contract, supported_until=until.isoformat())
    functions = request.functions_in_implementation
    if (
        plan.kind == "implementation"
        and request.channel != "webform"
        and functions
        and request.function not in functions
    ):
        listed = ", ".join(sorted(functions))
        return 5, _result(no, "function_not_in_implementation", contract, functions=listed)
    if request.scope in plan.excluded_scopes:
        return 5, _result(no, "out_of_scope", contract, scope=str(request.scope))
    if request.scope in plan.billable_scopes:
        return paid(6, "scope_billable", "out_of_scope", True, scope=str(request.scope))
    if request.scope is not None and request.scope_outcome == "rejected":
        return 5, _result(no, "out_of_scope", contract, scope=request.scope)
    if request.scope is not None and request.scope_outcome == "billable":
        return paid(6, "scope_billable", "out_of_scope", True, scope=request.scope)
    if request.channel not in plan.channels:
        if request.channel in plan.billable_channels:
            return paid(7, "channel_billable", "channel_not_in_plan", True, channel=request.channel)
        return 7, _result(no, "channel_not_in_plan", contract, channel=request.channel)
    if plan.covered_types and request.ticket_type not in plan.covered_types:
        reason = "warranty_only" if plan.kind == "warranty" else "type_billable"
        return paid(8, reason, "type_not_covered", False, ticket_type=request.ticket_type)
    return 9, _result(Status.COVERED, "covered", contract)


_STATUS_RANK = {Status.COVERED: 0, Status.BILLABLE: 1, Status.REJECTED: 2}
_SOURCE_RANK = {"prepaid": 0, "contract": 1, "price_list": 2}


def evaluate(
    request: RequestFacts,
    contracts: Sequence[ContractFacts],
    *,
    price_list_rate: Decimal | None = None,
    start_plan: PlanTerms | None = None,
    warranty_plan: PlanTerms | None = None,
    licence: LicenceFacts | None = None,
    public_plan: PlanTerms | None = None,
) -> Entitlement:
    """Decide one request (see the module docstring for the order).

    ``start_plan`` and ``warranty_plan`` apply through ``licence``: START for its months from
    activation, the warranty open-ended from activation. ``public_plan`` is the vendor's plan
    for anyone without a contract (HR Plus's collector web form).
    """
    day = request.on
    valid = [c for c in contracts if c.valid_on(day)]
    unverified = request.channel == "phone" and not request.licence_stated
    if unverified and licence is not None:
        # On the phone the support a licence brings (START, warranty) holds only for a licence
        # number the caller gave: "je nutné vždy nahlásit licenční číslo" (ESTELAR).
        through_licence = evaluate(
            dataclasses.replace(request, licence_stated=True),
            [],
            price_list_rate=price_list_rate,
            start_plan=start_plan,
            warranty_plan=warranty_plan,
            licence=licence,
        )
        licence = None
        if through_licence.status is not Status.REJECTED:
            without = evaluate(
                request, contracts, price_list_rate=price_list_rate, public_plan=public_plan
            )
            if without.status is Status.REJECTED:
                return _result(Status.REJECTED, "licence_required")
            return without
    if licence is not None and licence.activation_date is not None:
        if start_plan is not None:
            start = start_contract(licence, start_plan)
            if start is not None and start.valid_on(day):
                valid.append(start)
        if warranty_plan is not None and licence.activation_date <= day:
            valid.append(ContractFacts(None, warranty_plan, licence.activation_date, None))
    public = None if public_plan is None else ContractFacts(None, public_plan, date.min, None)

    # 1. End users only where a plan serves them.
    if request.requester == "end_user" and not any(c.plan.serves_end_users for c in valid):
        return _result(Status.REJECTED, "not_authorised")

    # 2. Prospects and anonymous senders: the public form only.
    if request.requester in ("prospect", "anonymous"):
        forms = [c for c in valid if c.plan.kind == "prospect"] + ([public] if public else [])
        forms = [c for c in forms if _opens_form(c.plan)]
        asks = [c for c in valid if c.plan.require_identification]
        if (
            not forms
            and request.requester == "anonymous"
            and (asks or request.identification_asked)
        ):
            # a customer's request from someone not (yet) identified (InTouch)
            return _result(Status.REJECTED, "not_identified", asks[0] if asks else None)
        if not forms:
            return _result(Status.REJECTED, "no_contract")
        if request.channel != "webform":
            return _result(Status.REJECTED, "public_form_only")
        return _best([_public(request, c) for c in forms])

    # 3. Customers: their contracts, and the public form for anyone.
    if public is not None and request.channel == "webform" and _opens_form(public.plan):
        outcomes = [_public(request, public)]
    else:
        outcomes = []
    if not valid:
        if outcomes:
            return outcomes[0][1]
        ended = [c.valid_to for c in contracts if c.valid_to is not None and c.valid_to < day]
        if ended:
            return _result(Status.REJECTED, "contract_expired", valid_to=max(ended).isoformat())
        future = [c.valid_from for c in contracts if c.valid_from > day]
        if future:
            return _result(
                Status.REJECTED, "contract_not_started", valid_from=min(future).isoformat()
            )
        return _result(Status.REJECTED, "no_contract")

    # 4. The most helpful outcome over all candidates; the public form goes last.
    return _best([_walk(request, c, price_list_rate) for c in valid] + outcomes)


def _best(outcomes: Sequence[tuple[int, Entitlement]]) -> Entitlement:
    """Covered > billable (cheapest source first) > rejected (deepest rule); stable on ties."""

    def rank(item: tuple[int, tuple[int, Entitlement]]) -> tuple[int, int, int, int]:
        index, (depth, outcome) = item
        source = _SOURCE_RANK.get(outcome.source or "", 0)
        return (_STATUS_RANK[outcome.status], source, -depth, index)

    return min(enumerate(outcomes), key=rank)[1][1]
