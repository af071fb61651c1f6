"""Plain-text mail is plain: no HTML entities in subjects or text bodies; the HTML part
escapes once."""

from __future__ import annotations

from django.core import mail

from podpora.tickets import services
from tests.conftest import new_ticket

SUBJECT = "Tom's <faktura> & daň"
BODY = 'Odpověď: a < b & c "uvozovky"'


def test_what_people_wrote_reaches_them_as_written(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = new_ticket(cast, subject=SUBJECT)
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(ticket, BODY, actor=cast.agent)
    created, answered = mail.outbox
    assert created.subject == f"Přijali jsme váš požadavek: {SUBJECT} [#{ticket.number}]"
    assert answered.subject == f"Odpověď na váš požadavek: {SUBJECT} [#{ticket.number}]"
    assert BODY in answered.body and "&lt;" not in answered.body and "&amp;" not in answered.body
    html = answered.alternatives[0][0]
    assert "a &lt; b &amp; c &quot;uvozovky&quot;" in html  # escaped exactly once
    assert "&amp;lt;" not in html


def test_a_subject_cannot_smuggle_a_header(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        new_ticket(cast, subject="Ahoj\nBcc: everyone@example.com")
    [message] = mail.outbox
    assert "\n" not in message.subject and message.bcc == []
