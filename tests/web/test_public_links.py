"""The public question form's author has no account: both e-mails they get (the
acknowledgement and the answer) open the ticket's private page, where they read and reply."""

import re

from django.core import mail
from django.urls import reverse

from podpora.tickets import services
from podpora.tickets.models import Ticket


def _ask(client):
    from django.core.cache import cache

    cache.clear()  # the form's per-address limit counts other tests' questions too
    client.post(
        reverse("webform", args=["acme"]),
        {
            "name": "Karel Zvědavý",
            "email": "karel@example.cz",
            "subject": "Cena?",
            "body": "Kolik?",
        },
    )
    return Ticket.objects.get()


def _link(message) -> str:
    [url] = re.findall(r"https?://\S+/portal/\S+", message.body)
    return url.split("://", 1)[1].split("/", 1)[1]


def test_both_e_mails_link_to_the_private_page(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = _ask(client)
    [ack] = mail.outbox
    private = reverse("portal:public", args=[ticket.public_token])
    assert "/" + _link(ack) == private

    with django_capture_on_commit_callbacks(execute=True):
        services.reply(ticket, "Licence stojí 1 500 Kč.", actor=cast.agent)
    answer = mail.outbox[-1]
    assert answer.to == ["karel@example.cz"] and "/" + _link(answer) == private

    page = client.get(private)  # not logged in: the page itself, not the log-in form
    assert page.status_code == 200
    assert "Licence stojí 1 500 Kč." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(private, {"body": "Děkuji, a pro dva uživatele?"})
    assert r.status_code == 302
    assert ticket.articles.filter(body="Děkuji, a pro dva uživatele?").exists()


def test_a_customer_s_e_mail_links_to_the_portal(cast, django_capture_on_commit_callbacks):
    from tests.conftest import new_ticket

    with django_capture_on_commit_callbacks(execute=True):
        ticket = new_ticket(cast)
    assert _link(mail.outbox[0]) == f"portal/tickets/{ticket.number}/"
