"""A remote session on a ticket (Harmonik: TeamViewer is built into the product; the customer
reads the connection ID out to the technician), tied to the organisation's remote-access
subscription: without one the session is refused, or paid where the plan sells it."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podpora.tickets import services as ticket_services

from . import services
from .subscriptions import REMOTE, remote_access_service

_SEPARATORS = re.compile(r"[\s\-.]")


def normalize_connection_id(text: str) -> str:
    """TeamViewer's ID as read out on the phone ("1 234 567 890"): 9 or 10 digits."""
    digits = _SEPARATORS.sub("", text or "")
    if not re.fullmatch(r"\d{9,10}", digits):
        raise ValidationError(
            {
                "connection_id": [
                    _("ID spojení TeamViewer má 9 nebo 10 číslic, jak je zákazník přečte.")
                ]
            }
        )
    return digits


def _no_subscription(ticket, on: date) -> ValidationError:
    service = remote_access_service(ticket.vendor)
    org = ticket.organization.name if ticket.organization else _("žadatel")
    if service is None:
        text = _("Vzdálené připojení není u %(org)s součástí podpory.") % {"org": org}
    else:
        text = _(
            "%(org)s nemá na rok %(year)s předplacený vzdálený přístup; připojení nelze "
            "vykázat. Službu „%(service)s“ lze předplatit na kalendářní rok."
        ) % {"org": org, "year": on.year, "service": service.name}
    return ValidationError({"connection_id": [text]})


@transaction.atomic
def log_remote_session(
    ticket, user, minutes: int, connection_id: str, note: str = "", worked_on: date | None = None
):
    """Record the session on the ticket (with its connection ID) and its time, judged as the
    remote channel on the day of the work. Nothing is stored when it is refused."""
    connection_id = normalize_connection_id(connection_id)
    worked_on = worked_on or timezone.localdate()
    if services.charge_for(ticket, worked_on, REMOTE).status == "rejected":
        raise _no_subscription(ticket, worked_on)
    logged = services.log_time(ticket, user, minutes, note, worked_on, channel=REMOTE)
    ticket_services.record_remote_session(
        ticket, note, connection_id=connection_id, duration_minutes=minutes, actor=user
    )
    return logged
