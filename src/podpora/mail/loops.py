"""Is an inbound message from a machine, and may we answer it automatically? Pure.

Two helpdesks (or a helpdesk and a vacation responder) that acknowledge each other's mail
produce a ticket per message until someone notices (FreeScout #2445, Zammad #539). The
signals below are the ones Zammad, Znuny, Odoo and Frappe use (RFC 3834 Auto-Submitted,
Precedence, X-Auto-Response-Suppress, X-Loop, DSNs, null Return-Path, List-Id); see
research/reliability-security.md 2.2. Headers are often missing, so :func:`allow_auto_reply`
adds a per-recipient rate cap as the backstop.

``kind`` says what the message is; what to do with it is ingestion's decision:

- ``"normal"``: a person wrote it; acknowledge it if the policy says so.
- ``"auto_reply"``: a responder or notifier wrote it (vacation notice, read receipt,
  another system's notification); store it, never answer it.
- ``"bounce"``: a delivery status notification; attach it to the ticket whose notification
  bounced (:func:`bounced_message_id`), never answer it.
- ``"own_loop"``: our own mail came back to us; quarantine, never answer.
- ``"bulk"``: a list or bulk sender; store it (a person may still have written it, PostHog
  #92017), but never answer it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from podpora.mail.parse import ParsedMessage, decode_bytes, message_ids

__all__ = [
    "AUTO_REPLIES_PER_DAY",
    "AUTO_REPLIES_PER_HOUR",
    "Classification",
    "Kind",
    "allow_auto_reply",
    "bounced_message_id",
    "classify",
    "normalise_address",
]

Kind = Literal["normal", "auto_reply", "bounce", "own_loop", "bulk"]

#: Defaults of the rate cap: Znuny's PostmasterMaxEmails is 40 a day per address.
AUTO_REPLIES_PER_HOUR = 3
AUTO_REPLIES_PER_DAY = 40


@dataclass(frozen=True)
class Classification:
    kind: Kind
    reason: str  #: what was seen, for logs and tests
    #: the same as a code of ``mail.evidence`` and its values, for people to read
    code: str = ""
    params: dict = field(default_factory=dict)

    @property
    def may_auto_reply(self) -> bool:
        """Only mail a person wrote may get an automatic answer (RFC 3834 section 2)."""
        return self.kind == "normal"

    @property
    def from_machine(self) -> bool:
        return self.kind in ("auto_reply", "bounce", "own_loop")


_SYSTEM_SENDER = re.compile(
    r"^(mailer-daemon|mail-daemon|mailerdaemon|postmaster|mail delivery subsystem)(@|$)",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"^(undeliver(ed|able)|delivery (status notification|failure|has failed)|"
    r"returned mail|mail delivery failed|failure notice|non[- ]?delivery|"
    r"nedoru[čc]iteln|nedoru[čc]en|zpr[áa]vu nelze doru[čc]it|nedoru[čc]iteľn)",
    re.IGNORECASE,
)
_AUTO_REPLY_SUBJECT = re.compile(
    r"^(auto(matic)?[- ]?(reply|response|antwort)|automatick[áa] odpov[ěe][ďd]|"
    r"out of (the )?office|abwesenheit|(jsem )?mimo kancel[áa][řr]|dovolen[áa]|"
    r"automatische antwort|r[ée]ponse automatique)",
    re.IGNORECASE,
)
_XARS_TOKENS = {"all", "oof", "autoreply"}


def normalise_address(value: str | None) -> str:
    """An address as we compare it: no angle brackets, no spaces, lower case."""
    return (value or "").strip().strip("<>").strip().lower()


def _is_own_message_id(message_id: str | None, domain: str) -> bool:
    domain = domain.strip().lower().lstrip("@")
    return bool(message_id and domain and message_id.lower().endswith("@" + domain))


def classify(
    parsed: ParsedMessage, own_addresses: set[str], own_message_id_domain: str
) -> Classification:
    """Classify ``parsed``. Order matters: a bounce of our own notification is a bounce
    (it must reach the original ticket), not an own loop."""
    own = {normalise_address(a) for a in own_addresses if a}
    sender = normalise_address(parsed.from_address)
    auto_submitted = (parsed.auto_submitted or "").split(";", 1)[0].strip()
    precedence = (parsed.precedence or "").strip()
    report_type = parsed.report_type or ""

    # 1. Delivery status notifications.
    if parsed.is_delivery_report:
        return Classification("bounce", "multipart/report; report-type=delivery-status", "dsn")
    if _SYSTEM_SENDER.match(sender) or _SYSTEM_SENDER.match(parsed.from_name.strip()):
        return Classification(
            "bounce",
            f"system sender {parsed.from_address or parsed.from_name}",
            "system_sender",
            {"sender": parsed.from_address or parsed.from_name},
        )
    if parsed.return_path == "" and _BOUNCE_SUBJECT.match(parsed.subject.strip()):
        return Classification("bounce", "null Return-Path and a bounce subject", "bounce_subject")

    # 2. Our own mail coming back.
    x_loops = {normalise_address(v) for v in parsed.x_loop}
    if sender and sender in own:
        return Classification(
            "own_loop", f"From is our own address {sender}", "own_address", {"sender": sender}
        )
    loop_hits = x_loops & (own | {own_message_id_domain.strip().lower()})
    if loop_hits:
        return Classification(
            "own_loop",
            f"X-Loop: {sorted(loop_hits)[0]}",
            "x_loop_own",
            {"value": sorted(loop_hits)[0]},
        )
    if _is_own_message_id(parsed.message_id, own_message_id_domain) and (
        (auto_submitted and auto_submitted != "no")
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or parsed.x_auto_response_suppress
    ):
        return Classification(
            "own_loop",
            f"our Message-ID {parsed.message_id} came back",
            "own_message_id",
            {"message_id": parsed.message_id},
        )

    # 3. Automatic responders and notifiers.
    if auto_submitted and auto_submitted != "no":
        return Classification(
            "auto_reply",
            f"Auto-Submitted: {auto_submitted}",
            "auto_submitted",
            {"value": auto_submitted},
        )
    if report_type == "disposition-notification":
        return Classification(
            "auto_reply", "read receipt (disposition-notification)", "read_receipt"
        )
    if parsed.x_autoreply is not None:
        return Classification("auto_reply", "X-Autoreply/X-Autorespond header", "x_autoreply")
    if precedence == "auto_reply":
        return Classification(
            "auto_reply", "Precedence: auto_reply", "precedence", {"value": "auto_reply"}
        )
    xars = {t.strip().lower() for t in (parsed.x_auto_response_suppress or "").split(",")}
    if xars & _XARS_TOKENS:
        return Classification(
            "auto_reply",
            f"X-Auto-Response-Suppress: {parsed.x_auto_response_suppress}",
            "x_auto_response_suppress",
            {"value": parsed.x_auto_response_suppress},
        )
    if x_loops:
        return Classification(
            "auto_reply", f"X-Loop: {sorted(x_loops)[0]}", "x_loop", {"value": sorted(x_loops)[0]}
        )
    if parsed.return_path == "":
        return Classification("auto_reply", "null Return-Path <>", "null_return_path")
    if _AUTO_REPLY_SUBJECT.match(parsed.subject.strip()):
        return Classification("auto_reply", "auto-reply subject", "auto_reply_subject")

    # 4. Lists and bulk senders.
    if precedence in ("bulk", "junk", "list"):
        return Classification(
            "bulk", f"Precedence: {precedence}", "precedence", {"value": precedence}
        )
    if parsed.list_id:
        return Classification("bulk", "List-Id", "list_id")
    if parsed.list_unsubscribe:
        return Classification("bulk", "List-Unsubscribe", "list_unsubscribe")

    return Classification("normal", "no automatic-mail signals")


_MESSAGE_ID_LINE = re.compile(r"^[ \t>]*Message-ID:[ \t]*(<[^<>\r\n]+>)", re.IGNORECASE | re.M)
_EMBEDDED_TYPES = ("message/rfc822", "message/global", "text/rfc822-headers")


def bounced_message_id(parsed: ParsedMessage, own_message_id_domain: str = "") -> str | None:
    """Message-ID of the message that bounced: ours, if a domain is given and one matches.

    Looks, in order, at the original message embedded in a DSN, at attached original
    messages/headers, and at "Message-ID:" lines quoted in the text of non-standard
    bounces (qmail, Exchange). Returns None when nothing is found.
    """
    candidates: list[str] = []
    if parsed.report_original_message_id:
        candidates.append(parsed.report_original_message_id)
    for attachment in parsed.attachments:
        if attachment.content_type in _EMBEDDED_TYPES:
            head = attachment.content[:65536]
            text = decode_bytes(head, attachment.charset)[0]
            headers = re.split(r"\r?\n\r?\n", text, maxsplit=1)[0]
            match = _MESSAGE_ID_LINE.search(headers)
            if match:
                candidates.extend(message_ids(match.group(1)))
    for match in _MESSAGE_ID_LINE.finditer(parsed.text_body[:200_000]):
        candidates.extend(message_ids(match.group(1)))
    candidates = [c for c in dict.fromkeys(candidates) if c != parsed.message_id]
    if own_message_id_domain:
        for candidate in candidates:
            if _is_own_message_id(candidate, own_message_id_domain):
                return candidate
    return candidates[0] if candidates else None


def allow_auto_reply(
    history_timestamps: Iterable[datetime],
    now: datetime,
    per_hour: int = AUTO_REPLIES_PER_HOUR,
    per_day: int = AUTO_REPLIES_PER_DAY,
) -> bool:
    """May we send one more automatic reply to this recipient now?

    ``history_timestamps`` are the times of automatic replies already sent to the same
    address (aware datetimes). A timestamp in the future counts as recent, so a clock step
    backwards cannot open the gate.
    """
    hour_ago = now - timedelta(hours=1)
    day_ago = now - timedelta(days=1)
    last_hour = last_day = 0
    for stamp in history_timestamps:
        if stamp > day_ago:
            last_day += 1
            if stamp > hour_ago:
                last_hour += 1
    return last_hour < per_hour and last_day < per_day
