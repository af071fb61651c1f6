"""Realistic inbound e-mail for the benchmarks (no Django: importable anywhere)."""

from __future__ import annotations

import random
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid

MAILBOX = "podpora@podpora.example"
WORDS = (
    "faktura tisk uzávěrka sklad mzdy docházka export import chyba verze aktualizace "
    "přihlášení heslo tiskárna sestava účetnictví DPH kontrolní hlášení databáze server"
).split()


def message(rng: random.Random, addresses: list[str], numbers: list[str], n: int) -> bytes:
    """A realistic inbound message: a new request or a reply by ticket tag (20 %), from a
    known contact, an unknown sender (5 %) or an out-of-office machine (5 %); UTF-8 or
    windows-1250, half with an HTML alternative, 30 % with a PDF of 2-200 KB."""
    roll = rng.random()
    msg = EmailMessage()
    sender = rng.choice(addresses)
    subject = " ".join(rng.choice(WORDS) for _ in range(5)).capitalize()
    headers = {}
    if roll < 0.2 and numbers:
        subject = f"Re: {subject} [#{rng.choice(numbers)}]"
    elif roll < 0.25:
        sender = f"neznamy{n}@nekde.example"
    elif roll < 0.30:
        headers["Auto-Submitted"] = "auto-replied"
        subject = "Automatická odpověď: " + subject
    msg["From"] = f"Jana Nová <{sender}>"
    msg["To"] = MAILBOX
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(f"b{n}", domain="zakaznik.example")
    for name, value in headers.items():
        msg[name] = value
    body = "Dobrý den,\n\n" + "\n".join(
        " ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(rng.randint(3, 25))
    )
    body += "\n\nS pozdravem\nJana Nová\n"
    charset = "windows-1250" if rng.random() < 0.3 else "utf-8"
    msg.set_content(body, charset=charset)
    if rng.random() < 0.5:
        msg.add_alternative(f"<p>{body.replace(chr(10), '<br>')}</p>", subtype="html")
    if rng.random() < 0.3:
        msg.add_attachment(
            rng.randbytes(rng.randint(2_000, 200_000)),
            maintype="application",
            subtype="pdf",
            filename=f"vypis-{n}.pdf",
        )
    return msg.as_bytes(policy=SMTP)
