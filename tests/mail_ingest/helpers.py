"""Building messages with the stdlib, and delivering them through the ingest service."""

from __future__ import annotations

import itertools
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime, make_msgid
from pathlib import Path

from django.utils import timezone

FIXTURES = Path(__file__).resolve().parents[1] / "mail" / "fixtures"
MAILBOX_ADDRESS = "podpora@podpora.example"
_counter = itertools.count(1)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def build(
    *,
    sender: str = "alena@example.cz",
    sender_name: str = "Alena Nováková",
    to: str = MAILBOX_ADDRESS,
    subject: str = "Nejde tisk faktur",
    body: str = "Dobrý den,\nčíselná řada faktur se po uzávěrce nezvýší.\n",
    html: str | None = None,
    charset: str = "utf-8",
    cc: list[str] | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
    message_id: str | None = "auto",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{sender_name} <{sender}>" if sender_name else sender
    msg["To"] = to
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(timezone.now())
    if message_id == "auto":
        message_id = make_msgid(f"t{next(_counter)}", domain="mail.example.cz")
    if message_id:
        msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body, charset=charset)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for filename, ctype, content in attachments or []:
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes(policy=SMTP)


def as_mail(raw: bytes):
    """A message as the stdlib reads it, headers decoded."""
    return message_from_bytes(raw, policy=default)


def reply_to(outbound_raw: bytes, *, sender: str, body: str, **kw) -> bytes:
    """A customer's reply to one of our messages (as received by the SMTP sink)."""
    original = as_mail(outbound_raw)
    headers = {"In-Reply-To": original["Message-ID"], "References": original["Message-ID"]}
    headers.update(kw.pop("headers", {}))
    subject = kw.pop("subject", None) or "Re: " + str(original["Subject"])
    return build(sender=sender, subject=subject, body=body, headers=headers, **kw)
