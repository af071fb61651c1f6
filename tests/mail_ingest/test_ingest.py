"""The ingest service end to end: bytes in, tickets and articles out, mail out over SMTP."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from podpora.mail import ingest
from podpora.mail.models import AutoReplyLog, InboundMessage, Mailbox, OutboundMessage
from podpora.tickets.models import Article, Attachment, Ticket

from .helpers import MAILBOX_ADDRESS, as_mail, build, fixture, reply_to


def contact(cast, email, first="Jan", last="Novák", org=None):
    from podpora.customers.models import Contact

    return Contact.objects.create(
        organization=org or cast.org_a, first_name=first, last_name=last, email=email
    )


def only_ticket():
    assert Ticket.objects.count() == 1
    return Ticket.objects.get()


# --------------------------------------------------------------------------- new tickets


def test_known_contact_opens_a_ticket_and_gets_one_acknowledgement(cast, mailbox, deliver, smtp):
    inbound = deliver(build(sender="alena@example.cz", subject="Nejde tisk faktur"), mailbox)

    assert inbound.state == "processed", inbound.detail
    ticket = only_ticket()
    assert inbound.ticket == ticket and inbound.article.ticket == ticket
    assert (ticket.organization, ticket.contact, ticket.sender_verified) == (
        cast.org_a,
        cast.contact_a,
        True,
    )
    assert ticket.channel == "email" and ticket.team == cast.team and ticket.product == cast.product
    article = ticket.articles.get()
    assert article.kind == Article.Kind.EMAIL_IN and article.from_customer
    assert article.message_id == inbound.message_id
    assert "číselná řada" in article.body
    [sent] = smtp.messages
    assert sent.rcpt_tos == ["alena@example.cz"]
    mail = as_mail(sent.content)
    assert f"[#{ticket.number}]" in str(mail["Subject"])
    assert mail["Auto-Submitted"] == "auto-generated"
    assert OutboundMessage.objects.get(kind="ticket_created").ticket == ticket
    assert AutoReplyLog.objects.filter(address="alena@example.cz", ticket=ticket).count() == 1


@pytest.mark.parametrize(
    ("name", "sender", "subject", "words"),
    [
        (
            "cz_windows1250_qp.eml",
            "petra.dvorakova@strojirny-zdar.example",
            "Požadavek č. 123 – nefunguje tisk faktur",
            ["faktur"],
        ),
        (
            "cz_iso88592_base64_8bit_headers.eml",
            "jiri.stastny@example.cz",
            "Účetní uzávěrka se zasekne - modul Sklad",
            ["Sklad"],
        ),
        (
            "cz_utf8_rfc2231_html.eml",
            "tomas.kral@firma.example",
            "Přehled chyb za říjen",
            [],
        ),
    ],
)
def test_czech_messages_in_every_legacy_charset(
    cast, mailbox, deliver, name, sender, subject, words
):
    person = contact(cast, sender)
    inbound = deliver(fixture(name), mailbox)

    assert inbound.state == "processed", inbound.detail
    ticket = only_ticket()
    assert ticket.subject == subject
    assert ticket.contact == person
    body = ticket.articles.get().body
    assert "\ufffd" not in body and "\ufffd" not in ticket.subject
    for word in words:
        assert word in body


def test_html_is_sanitised_and_inline_images_point_at_their_attachment(cast, mailbox, deliver):
    html = (
        '<p onclick="x()">Viz obrázek <img src="cid:shot1@firma"></p>'
        "<script>alert(1)</script><img src=https://tracker.example/p.gif>"
    )
    from email.message import EmailMessage
    from email.policy import SMTP

    related = EmailMessage()
    related["From"] = "Alena <alena@example.cz>"
    related["To"] = MAILBOX_ADDRESS
    related["Subject"] = "Obrázek"
    related["Message-ID"] = "<img-1@example.cz>"
    related.set_content("Viz obrázek.")
    related.add_alternative(html, subtype="html")
    html_part = related.get_payload()[1]
    html_part.add_related(b"\x89PNG\r\n\x1a\nfake", "image", "png", cid="<shot1@firma>")
    deliver(related.as_bytes(policy=SMTP), mailbox)

    ticket = only_ticket()
    article = ticket.articles.get()
    image = Attachment.objects.get(article=article, content_id="shot1@firma")
    assert f'src="/files/{ticket.number}/{image.pk}/"' in article.body_html
    assert "<script" not in article.body_html and "onclick" not in article.body_html
    assert "tracker.example" not in article.body_html
    assert article.body.startswith("Viz obrázek")


def test_attachment_names_cannot_leave_the_storage(cast, mailbox, deliver, settings, tmp_path):
    inbound = deliver(fixture("hostile_attachment_names.eml"), mailbox)

    assert inbound.state == "processed", inbound.detail
    ticket = only_ticket()
    assert ticket.sender_verified is False and ticket.organization is None
    assert "<script>" in ticket.subject  # stored as text; templates escape it
    files = Attachment.objects.filter(article__ticket=ticket)
    assert files.count() >= 5
    storage = Path(settings.STORAGE_DIR).resolve()
    for f in files:
        assert "/" not in f.filename and "\\" not in f.filename and "\x00" not in f.filename
        assert not f.filename.startswith(".")
        from podpora.core.storage import blob_path

        assert blob_path(f.blob_id).resolve().is_relative_to(storage)
    outside = [
        p for p in tmp_path.rglob("*") if p.is_file() and not p.resolve().is_relative_to(storage)
    ]
    assert outside == []


def _with_cc(raw: bytes, addresses: list[str]) -> bytes:
    # The stdlib takes seconds to fold a 10,000-address header; write it by hand.
    return b"Cc: " + b",\r\n ".join(a.encode() for a in addresses) + b"\r\n" + raw


def test_a_ten_thousand_address_cc_is_capped(cast, mailbox, deliver):
    crowd = [f"person{i}@crowd.example" for i in range(10_000)]
    raw = _with_cc(build(sender="alena@example.cz"), [*crowd[:5000], "adam@example.cz", *crowd])
    inbound = deliver(raw, mailbox)

    assert inbound.state == "processed"
    # The parser keeps the first addresses only; of those, only the organisation's contacts
    # are kept on the ticket.
    assert only_ticket().cc == []
    raw = _with_cc(build(sender="alena@example.cz"), ["Adam@Example.cz", "eva@example.cz", *crowd])
    deliver(raw, mailbox)
    ticket = Ticket.objects.order_by("-pk").first()
    assert ticket.cc == ["adam@example.cz", "eva@example.cz"]


def test_a_colleague_copied_on_a_reply_joins_the_ticket_and_strangers_do_not(
    cast, mailbox, deliver
):
    from podpora.tickets.models import Event

    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = only_ticket()
    assert ticket.cc == []
    reply = build(
        sender="alena@example.cz",
        subject=f"Re: Nejde tisk faktur [#{ticket.number}]",
        cc=["Adam <ADAM@example.cz>", "cizi@jinde.example", MAILBOX_ADDRESS],
    )
    assert deliver(reply, mailbox).state == "processed"
    ticket.refresh_from_db()
    assert ticket.cc == ["adam@example.cz"]
    change = Event.objects.get(ticket=ticket, kind="field_changed")
    assert change.data == {"field": "cc", "old": [], "new": ["adam@example.cz"]}
    again = build(
        sender="adam@example.cz", subject=f"Re: [#{ticket.number}]", cc=["alena@example.cz"]
    )
    deliver(again, mailbox)
    ticket.refresh_from_db()
    assert ticket.cc == ["adam@example.cz"]  # the requester is not copied to herself
    assert Event.objects.filter(ticket=ticket, kind="field_changed").count() == 1


def test_an_html_reply_shows_what_was_written_now_and_folds_the_history(cast, mailbox, deliver):
    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = only_ticket()
    html = (
        '<div dir="ltr">Pořád to nejde, posílám <b>log</b>.</div><br>'
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
        "Dne čt 12. 11. 2026 10:16 uživatel Podpora &lt;podpora@example.cz&gt; napsal:</div>"
        '<blockquote class="gmail_quote">Zkuste prosím restart serveru.</blockquote></div>'
    )
    text = (
        "Pořád to nejde, posílám log.\n\n"
        "Dne čt 12. 11. 2026 10:16 uživatel Podpora <podpora@example.cz> napsal:\n\n"
        "> Zkuste prosím restart serveru.\n"
    )
    reply = build(
        sender="alena@example.cz", subject=f"Re: [#{ticket.number}]", body=text, html=html
    )
    deliver(reply, mailbox)
    article = ticket.articles.order_by("-pk").first()
    assert "Pořád to nejde" in article.body_html and "<b>log</b>" in article.body_html
    assert "restart" not in article.body_html  # folded, not shown as the customer's words
    assert "restart" not in article.body
    assert "Zkuste prosím restart serveru." in article.quoted


def test_history_folded_only_in_the_html_is_kept_as_quoted_text(cast, mailbox, deliver):
    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = only_ticket()
    html = '<p>Děkuji, funguje.</p><blockquote type="cite">Nainstalujte opravu 2.4.1.</blockquote>'
    reply = build(
        sender="alena@example.cz",
        subject=f"Re: [#{ticket.number}]",
        body="Děkuji, funguje.\n",
        html=html,
    )
    deliver(reply, mailbox)
    article = ticket.articles.order_by("-pk").first()
    assert "opravu" not in article.body_html
    assert "Nainstalujte opravu 2.4.1." in article.quoted


# --------------------------------------------------------------------------- threading


def test_reply_threads_by_in_reply_to_to_our_notification(cast, mailbox, deliver, smtp):
    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = only_ticket()
    [ack] = smtp.messages
    smtp.messages.clear()
    marker_quote = "> ##- Pište prosím nad tuto čáru -##\n> Přijali jsme váš požadavek\n"
    raw = reply_to(
        ack.content,
        sender="alena@example.cz",
        body="Už to funguje, díky.\n\nDne 12.11.2026 v 10:16 Podpora napsal(a):\n" + marker_quote,
        subject="Re: úplně jiný předmět",
    )
    inbound = deliver(raw, mailbox)

    assert inbound.state == "processed" and inbound.ticket == ticket
    assert Ticket.objects.count() == 1
    article = ticket.articles.order_by("pk").last()
    assert article.body.strip() == "Už to funguje, díky."
    assert "Pište prosím" in article.quoted
    assert smtp.messages == []  # no acknowledgement for a follow-up


def test_reply_threads_by_the_subject_tag(cast, mailbox, deliver):
    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = only_ticket()
    inbound = deliver(
        build(sender="adam@example.cz", subject=f"RE: Fw: něco [#{ticket.number}]"), mailbox
    )
    assert inbound.ticket == ticket and Ticket.objects.count() == 1
    assert ticket.articles.count() == 2


def test_no_guessing_by_subject(cast, mailbox, deliver):
    deliver(build(sender="alena@example.cz", subject="Nejde tisk"), mailbox)
    deliver(build(sender="alena@example.cz", subject="Re: Nejde tisk"), mailbox)
    assert Ticket.objects.count() == 2


def test_reply_to_a_closed_ticket_opens_a_linked_new_one(cast, mailbox, deliver):
    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = only_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(state="closed")
    merged = deliver(build(sender="alena@example.cz", subject=f"Re: [#{ticket.number}]"), mailbox)
    assert (merged.state, merged.reason) == ("processed", "closed_ticket")
    assert merged.ticket != ticket and ticket.articles.count() == 1
    assert merged.ticket.links_out.get().target == ticket


def test_reply_to_a_merged_ticket_lands_on_the_surviving_one(cast, mailbox, deliver):
    from podpora.tickets import services

    deliver(build(sender="alena@example.cz", subject="První"), mailbox)
    deliver(build(sender="alena@example.cz", subject="Druhý"), mailbox)
    first, second = Ticket.objects.order_by("pk")
    services.merge_tickets(second, first, actor=cast.agent)
    reply = deliver(build(sender="alena@example.cz", subject=f"Re: [#{second.number}]"), mailbox)
    assert reply.ticket == first


def test_foreign_reply_becomes_a_new_ticket_not_the_customers_words(cast, mailbox, deliver, smtp):
    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = only_ticket()
    [ack] = smtp.messages
    raw = reply_to(ack.content, sender="bohous@example.cz", body="Tohle je můj požadavek.")
    inbound = deliver(raw, mailbox)

    assert inbound.state == "processed" and inbound.reason == "foreign_reply"
    assert inbound.ticket != ticket
    assert inbound.ticket.organization == cast.org_b
    assert ticket.articles.count() == 1  # nothing landed on Alena's ticket


def test_foreign_reply_quarantined_by_policy_then_released(
    cast, mailbox, deliver, smtp, django_capture_on_commit_callbacks
):
    mailbox.foreign_reply_policy = Mailbox.ForeignReplyPolicy.QUARANTINE
    mailbox.save()
    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = only_ticket()
    raw = build(sender="mallory@evil.example", subject=f"Re: [#{ticket.number}] změňte heslo")
    inbound = deliver(raw, mailbox)

    assert (inbound.state, inbound.reason, inbound.ticket) == (
        "quarantined",
        "foreign_reply",
        ticket,
    )
    assert ticket.articles.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        released = ingest.release(inbound, cast.agent)
    assert released.state == "released" and released.released_by == cast.agent
    assert released.ticket == ticket and ticket.articles.count() == 2


# --------------------------------------------------------------------------- who wrote


def test_unknown_sender_gets_an_unverified_ticket(cast, mailbox, deliver, smtp):
    inbound = deliver(build(sender="novy@nekdo.example", sender_name="Nový Člověk"), mailbox)
    ticket = only_ticket()
    assert inbound.state == "processed"
    assert ticket.sender_verified is False and ticket.organization is None
    assert (ticket.requester_email, ticket.requester_name) == ("novy@nekdo.example", "Nový Člověk")


def test_unknown_sender_domain_of_an_organisation(cast, mailbox, deliver):
    cast.org_b.email_domains = ["beta.example"]
    cast.org_b.save()
    deliver(build(sender="novacek@beta.example"), mailbox)
    ticket = only_ticket()
    assert ticket.organization == cast.org_b and ticket.contact is None
    assert ticket.sender_verified is False


def test_unknown_sender_answered_with_portal_and_form_links(cast, mailbox, deliver, smtp):
    mailbox.unknown_sender_policy = Mailbox.UnknownSenderPolicy.AUTOREPLY
    mailbox.save()
    for n in range(5):
        inbound = deliver(build(sender="novy@nekdo.example", subject=f"Dotaz {n}"), mailbox)
        assert (inbound.state, inbound.reason) == ("ignored", "unknown_sender")

    assert Ticket.objects.count() == 0
    answers = smtp.to("novy@nekdo.example")
    assert len(answers) == 3  # the per-address cap: 3 an hour
    mail = as_mail(answers[0].content)
    assert mail["Auto-Submitted"] == "auto-replied"
    text = mail.get_body(("plain",)).get_content()
    assert "/dotaz/acme/" in text and "/portal/" in text

    # The contact is added later: the message can be run through the rules again.
    contact(cast, "novy@nekdo.example")
    again = ingest.reprocess(InboundMessage.objects.order_by("pk").first())
    assert again.state == "processed" and again.ticket.sender_verified


# --------------------------------------------------------------------------- loops


def test_auto_reply_to_our_notification_is_a_note_and_not_answered(cast, mailbox, deliver, smtp):
    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = only_ticket()
    [ack] = smtp.messages
    smtp.messages.clear()
    raw = reply_to(
        ack.content,
        sender="alena@example.cz",
        body="Jsem mimo kancelář do pondělí.",
        headers={"Auto-Submitted": "auto-replied"},
    )
    inbound = deliver(raw, mailbox)

    assert (inbound.state, inbound.classification, inbound.reason) == (
        "processed",
        "auto_reply",
        "auto_reply",
    )
    note = ticket.articles.order_by("pk").last()
    assert note.kind == Article.Kind.NOTE and note.internal
    ticket.refresh_from_db()
    assert ticket.state == "new"
    assert smtp.messages == []


@pytest.mark.parametrize(
    "eml", ["cz_auto_reply.eml", "cz_x_autoreply.eml", "cz_precedence_auto_reply.eml"]
)
def test_an_out_of_office_reply_of_a_known_contact_opens_no_ticket(
    cast, mailbox, deliver, smtp, eml
):
    """Auto-Submitted: auto-replied, X-Autoreply or Precedence: auto_reply, answering no
    ticket of ours: kept in the quarantine (an agent may release it), no ticket, no SLA."""
    contact(cast, "marie.horakova@firma.example", "Marie", "Horáková")
    inbound = deliver(fixture(eml), mailbox)
    assert inbound.classification == "auto_reply"
    assert (inbound.state, inbound.reason) == ("quarantined", "auto_reply")
    assert Ticket.objects.count() == 0
    assert smtp.messages == []  # never answered


def test_auto_reply_from_a_stranger_is_quarantined(cast, mailbox, deliver, smtp):
    inbound = deliver(fixture("cz_auto_reply.eml"), mailbox)
    assert (inbound.state, inbound.reason) == ("quarantined", "auto_reply")
    assert Ticket.objects.count() == 0 and smtp.messages == []


def test_bounce_is_attached_to_the_ticket_whose_mail_bounced(cast, mailbox, deliver, smtp):
    deliver(build(sender="alena@example.cz"), mailbox)
    ticket = only_ticket()
    ack = OutboundMessage.objects.get(kind="ticket_created")
    smtp.messages.clear()
    dsn = fixture("cz_dsn_bounce.eml").replace(
        b"podpora.abc123@podpora.example", ack.message_id.encode()
    )
    inbound = deliver(dsn, mailbox)

    assert (inbound.state, inbound.classification, inbound.ticket) == (
        "processed",
        "bounce",
        ticket,
    )
    note = ticket.articles.order_by("pk").last()
    assert note.internal and "alena@example.cz" in note.body
    ack.refresh_from_db()
    assert ack.status == "failed"
    assert smtp.messages == [] and Ticket.objects.count() == 1


def test_bounce_of_nothing_we_sent_is_quarantined(cast, mailbox, deliver, smtp):
    inbound = deliver(fixture("cz_dsn_bounce.eml"), mailbox)
    assert (inbound.state, inbound.reason) == ("quarantined", "bounce")
    assert Ticket.objects.count() == 0 and smtp.messages == []


def test_our_own_notification_coming_back_is_ignored(cast, mailbox, deliver, smtp):
    deliver(build(sender="alena@example.cz"), mailbox)
    [ack] = smtp.messages
    smtp.messages.clear()
    inbound = deliver(ack.content, mailbox)
    assert (inbound.state, inbound.reason) == ("ignored", "own_loop")
    assert Ticket.objects.count() == 1 and only_ticket().articles.count() == 1
    assert smtp.messages == []


def _run_responder(smtp, mailbox, deliver, robot: str, make_answer, rounds: int = 15) -> int:
    """A second helpdesk that answers everything we send it; returns the rounds it took."""
    deliver(build(sender=robot, subject="Objednávka 77"), mailbox)
    answered = 0
    for n in range(rounds):
        ours = smtp.to(robot)[answered:]
        if not ours:
            return n
        answered += len(ours)
        for sent in ours:
            deliver(make_answer(n, as_mail(sent.content)), mailbox)
    return rounds


def test_two_auto_responders_without_headers_stop_at_the_rate_cap(cast, mailbox, deliver, smtp):
    robot = "tickets@other-helpdesk.example"

    def answer(n, ours):  # FreeScout #2445: new ticket per message, subject grows, no tag kept
        subject = f"Ticket Received - {n} - " + str(ours["Subject"]).split(" [#")[0]
        return build(sender=robot, sender_name="", subject=subject, body="We got it.")

    rounds = _run_responder(smtp, mailbox, deliver, robot, answer)
    assert rounds < 15, "the loop did not stop"
    assert len(smtp.to(robot)) == 3  # loops.AUTO_REPLIES_PER_HOUR
    assert Ticket.objects.count() == 4  # every message is kept, only the answers stop


@pytest.mark.parametrize(
    ("ages_minutes", "allowed"),
    [
        ([], True),
        ([5, 20], True),
        ([5, 20, 50], False),  # three in the last hour
        ([61, 62, 63], True),  # an hour ago: only the daily cap counts
        ([70 + n for n in range(40)], False),  # forty today
        ([24 * 60 - 1] + [70 + n for n in range(39)], False),  # the oldest still within a day
        ([24 * 60 + 1] + [70 + n for n in range(39)], True),  # the oldest a day ago
    ],
)
def test_auto_reply_rate_cap_by_the_clock(db, settings, ages_minutes, allowed):
    from datetime import timedelta

    from django.utils import timezone

    settings.MAIL_AUTO_REPLIES_PER_HOUR, settings.MAIL_AUTO_REPLIES_PER_DAY = 3, 40
    now = timezone.now()
    for age in ages_minutes:
        AutoReplyLog.objects.create(
            address="robot@example.cz", kind="x", created_at=now - timedelta(minutes=age)
        )
    AutoReplyLog.objects.create(address="other@example.cz", kind="x", created_at=now)
    assert ingest.auto_reply_allowed("robot@example.cz", now=now) is allowed


def test_two_auto_responders_with_our_tag_stop_at_once(cast, mailbox, deliver, smtp):
    robot = "tickets@other-helpdesk.example"

    def answer(n, ours):
        return build(sender=robot, subject=f"Ticket Received - {ours['Subject']}", body="Got it.")

    rounds = _run_responder(smtp, mailbox, deliver, robot, answer)
    assert rounds <= 2
    assert len(smtp.to(robot)) == 1
    assert Ticket.objects.count() == 1


# --------------------------------------------------------------------------- reliability


def test_the_same_message_twice_makes_one_ticket(cast, mailbox, deliver, smtp):
    raw = build(sender="alena@example.cz")
    first = deliver(raw, mailbox)
    relayed = (
        b"Received: from relay2.example by mx.example; Mon, 1 Jan 2026 10:00:00 +0100\r\n" + raw
    )
    second = deliver(relayed, mailbox)
    third = deliver(raw, mailbox)

    assert first.pk == second.pk == third.pk
    assert InboundMessage.objects.count() == 1 and Ticket.objects.count() == 1
    assert len(smtp.messages) == 1


def test_the_same_message_through_two_mailboxes_makes_one_ticket(cast, mailbox, deliver):
    other = Mailbox.objects.create(vendor=cast.vendor, name="Obchod", address="obchod@acme.example")
    raw = build(sender="alena@example.cz", to=f"{MAILBOX_ADDRESS}, obchod@acme.example")
    deliver(raw, mailbox)
    second = deliver(raw, other)
    assert (second.state, second.reason) == ("ignored", "duplicate")
    assert Ticket.objects.count() == 1


def test_a_reused_message_id_with_another_body_is_another_message(cast, mailbox, deliver):
    deliver(build(sender="alena@example.cz", body="První.", message_id="<same@x.example>"), mailbox)
    deliver(build(sender="alena@example.cz", body="Druhá.", message_id="<same@x.example>"), mailbox)
    assert InboundMessage.objects.count() == 2 and Ticket.objects.count() == 2


def test_a_message_without_message_id_is_deduplicated_by_its_bytes(cast, mailbox, deliver):
    raw = build(sender="alena@example.cz", message_id=None)
    assert deliver(raw, mailbox).pk == deliver(raw, mailbox).pk
    assert Ticket.objects.count() == 1


def test_oversize_is_quarantined_and_can_be_released(cast, mailbox, deliver, settings):
    settings.MAX_MESSAGE_BYTES = 4000
    raw = build(
        sender="alena@example.cz",
        attachments=[("data.bin", "application/octet-stream", b"x" * 8000)],
    )
    inbound = deliver(raw, mailbox)
    assert (inbound.state, inbound.reason) == ("quarantined", "too_large")
    assert Ticket.objects.count() == 0

    released = ingest.release(inbound, cast.agent)
    assert released.state == "released" and released.ticket.articles.get().attachments.count() == 1


def test_oversize_on_the_pipe_is_streamed_to_storage(cast, mailbox, settings):
    from podpora.core.storage import blob_path

    settings.MAX_MESSAGE_BYTES = 10_000
    raw = build(sender="alena@example.cz", body="x" * 50_000)
    inbound = ingest.receive_stream(io.BytesIO(raw), mailbox)
    assert (inbound.state, inbound.reason, inbound.size) == ("quarantined", "too_large", len(raw))
    assert blob_path(inbound.raw_sha256).read_bytes() == raw
    assert ingest.receive_stream(io.BytesIO(raw), mailbox).pk == inbound.pk


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe" * 3000,
        b"garbage without headers\n\n\n",
        b"From: \xff\xfe@\x00\nSubject: =?x-unknown?B?!!!?=\nContent-Type: multipart/mixed\n\n--\n",
        b"Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; charset=nonsense\nContent-Transfer-Encoding: base64\n\n!!!not base64\n",
        b"From: a@b\n" + b"X-Long: " + b"a" * 200_000 + b"\n\nbody",
    ],
)
def test_garbage_never_raises(cast, mailbox, deliver, raw):
    inbound = deliver(raw, mailbox)
    assert inbound.state in ("processed", "quarantined", "ignored")
    assert InboundMessage.objects.count() == 1


def test_a_failure_while_applying_quarantines_with_the_reason(cast, mailbox, deliver, monkeypatch):
    from podpora.tickets import services

    def broken(*args, **kwargs):
        raise RuntimeError("database said no")

    monkeypatch.setattr(services, "create_ticket", broken)
    inbound = deliver(build(sender="alena@example.cz"), mailbox)
    assert (inbound.state, inbound.reason) == ("quarantined", "error")
    assert "database said no" in inbound.detail
    monkeypatch.undo()

    assert ingest.reprocess(inbound).state == "processed"
    assert Ticket.objects.count() == 1


def test_rows_left_in_received_are_processed_by_the_retry_job(cast, mailbox):
    from datetime import timedelta

    inbound = ingest.receive(build(sender="alena@example.cz"), mailbox)
    assert inbound.state == "received"
    assert ingest.process_stale(older_than=timedelta(0)) == 1
    inbound.refresh_from_db()
    assert inbound.state == "processed"
    assert ingest.process(inbound).state == "processed" and Ticket.objects.count() == 1


def test_two_workers_on_one_message_make_one_ticket(
    cast, mailbox, smtp, django_capture_on_commit_callbacks
):
    """The second worker held a stale copy: its whole work is rolled back, nothing doubles."""
    first = ingest.receive(build(sender="alena@example.cz"), mailbox)
    stale = InboundMessage.objects.get(pk=first.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert ingest.process(first).state == "processed"
        again = ingest.process(stale)  # still "received" in memory

    assert (again.state, again.ticket_id, again.attempts) == ("processed", first.ticket_id, 1)
    assert Ticket.objects.count() == 1 and Article.objects.count() == 1
    assert OutboundMessage.objects.filter(kind="ticket_created").count() == 1
    assert AutoReplyLog.objects.count() == 1 and len(smtp.messages) == 1


def test_a_reused_message_id_delivered_again_is_still_one_row_each(cast, mailbox):
    one = build(sender="alena@example.cz", body="První.", message_id="<re@x.example>")
    two = build(sender="alena@example.cz", body="Druhá.", message_id="<re@x.example>")
    rows = [ingest.receive(raw, mailbox) for raw in (one, two, two, one)]
    assert [r.is_new for r in rows] == [True, True, False, False]
    assert rows[2].pk == rows[1].pk and rows[3].pk == rows[0].pk
    assert rows[1].dedup_key == f"mid:re@x.example|{rows[1].raw_sha256}"


def test_pipe_mail_finds_its_mailbox_by_recipient_or_is_quarantined(cast, mailbox, deliver):
    assert deliver(build(sender="alena@example.cz"), None).state == "processed"
    assert only_ticket().team == cast.team
    stray = deliver(build(sender="alena@example.cz", to="nekdo@jinde.example"), None)
    assert (stray.state, stray.reason) == ("quarantined", "no_mailbox")


@pytest.mark.django_db(transaction=True)
def test_the_commit_that_stores_a_message_is_flushed_to_disk_on_sqlite(monkeypatch):
    """The MTA and the IMAP server may forget a message once ``receive`` returns: on SQLite
    that one commit runs with synchronous=FULL; the rest of the connection stays NORMAL."""
    from django.db import connection

    from podpora.core import storage

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL flushes every commit")

    def pragma() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            return cursor.fetchone()[0]

    seen = []
    real_store = storage.store

    def spy(data):
        seen.append(pragma())
        return real_store(data)

    monkeypatch.setattr(storage, "store", spy)
    before = pragma()
    ingest.receive(build(subject="Trvanlivě"))
    assert seen == [2]  # FULL while the row and its blob are committed
    assert pragma() == before


def test_a_batch_is_recorded_whole_or_not_at_all(cast, mailbox, monkeypatch):
    from podpora.core import storage

    raws = [build(sender="alena@example.cz", subject=f"Dávka {n}") for n in range(3)]
    real_store = storage.store
    calls = {"n": 0}

    def failing_third(data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real_store(data)

    monkeypatch.setattr(storage, "store", failing_third)
    with pytest.raises(OSError), ingest.receiving_batch():
        for raw in raws:
            ingest.receive(raw, mailbox)
    assert InboundMessage.objects.count() == 0  # nothing may be acknowledged

    monkeypatch.setattr(storage, "store", real_store)
    with ingest.receiving_batch():
        rows = [ingest.receive(raw, mailbox) for raw in [*raws, raws[0]]]
    assert [r.is_new for r in rows] == [True, True, True, False]  # a repeat inside the batch
    assert InboundMessage.objects.count() == 3
